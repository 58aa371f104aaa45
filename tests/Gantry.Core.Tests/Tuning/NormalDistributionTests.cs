using Gantry.Core.Tuning.Numerics;

namespace Gantry.Core.Tests.Tuning;

public class NormalDistributionTests
{
    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(1.959963984540054, 0.975)]
    [InlineData(-1.0, 0.15865525393145705)]
    [InlineData(-5.0, 2.866515718791939e-7)]
    public void Cdf_matches_known_values(double z, double p)
    {
        Assert.Equal(p, NormalDistribution.Cdf(z), p * 1e-6);
        Assert.Equal(z, NormalDistribution.InverseCdf(p), 1e-6);
    }

    [Fact]
    public void Log_cdf_stays_finite_and_accurate_far_in_the_left_tail()
    {
        // ln Φ(−40) ≈ −804.6084420137538 (asymptotic series).
        Assert.Equal(-804.6084420137538, NormalDistribution.LogCdf(-40), 1e-4);
        Assert.True(double.IsFinite(NormalDistribution.LogMass(30, 31)));
        Assert.Equal(NormalDistribution.LogMass(-31, -30), NormalDistribution.LogMass(30, 31), 9);
    }

    [Fact]
    public void Truncated_samples_stay_in_bounds_even_when_the_bounds_are_far_from_the_mean()
    {
        var random = new Random(4);
        for (var i = 0; i < 1000; i++)
        {
            Assert.InRange(TruncatedNormal.Sample(random.NextDouble(), 0, 0.01, 0.5, 0.6), 0.5, 0.6);
            Assert.InRange(TruncatedNormal.Sample(random.NextDouble(), 3, 1, 0, 10), 0, 10);
        }
    }
}
