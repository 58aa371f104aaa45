using Gantry.Core.Tuning;
using Gantry.Core.Tuning.Suggestions;
using Gantry.Core.Tuning.Tpe;

namespace Gantry.Core.Tests.Tuning;

public class TpeSamplerTests
{
    private static readonly SearchSpace Square = new([Parameter.Double("x", -5, 5), Parameter.Double("y", -5, 5)]);

    private static double Quadratic(double[] p) => (p[0] - 1.3) * (p[0] - 1.3) + (p[1] + 2.1) * (p[1] + 2.1);

    [Theory]
    [InlineData(AlgorithmNames.Tpe)]
    [InlineData(AlgorithmNames.MultivariateTpe)]
    public void Tpe_beats_random_search_on_a_2d_quadratic_over_60_trials_averaged_over_10_seeds(string algorithm)
    {
        var seeds = Enumerable.Range(0, 10).ToList();
        var tpe = seeds.Average(s => Spaces.Minimise(Square, algorithm, Quadratic, 60, s));
        var random = seeds.Average(s => Spaces.Minimise(Square, AlgorithmNames.Random, Quadratic, 60, s));

        // Random search's expected best of 60 draws on this square is about 0.5; TPE's is far below.
        Assert.True(tpe < random / 4, $"{algorithm} mean best {tpe:F4}, random {random:F4}");
    }

    [Fact]
    public void Tpe_beats_random_search_on_a_1d_quadratic_with_a_log_scale()
    {
        var space = new SearchSpace([Parameter.Double("lr", 1e-5, 1, distribution: Distribution.LogUniform)]);
        double F(double[] p) => Math.Pow(Math.Log10(p[0]) + 2.5, 2);
        var seeds = Enumerable.Range(0, 10).ToList();

        var tpe = seeds.Average(s => Spaces.Minimise(space, AlgorithmNames.Tpe, F, 40, s));
        var random = seeds.Average(s => Spaces.Minimise(space, AlgorithmNames.Random, F, 40, s));

        Assert.True(tpe < random / 3, $"tpe {tpe:G4}, random {random:G4}");
    }

    [Fact]
    public void Start_up_trials_are_random_draws_until_n_startup_trials_were_evaluated()
    {
        var history = Enumerable.Range(0, 4).Select(i => Spaces.Done(Square, [i, i], i, i)).ToList();

        var tpe = new TpeSampler(multivariate: true).Suggest(Spaces.Request(Square, AlgorithmNames.MultivariateTpe, history, 1, seed: 5,
            settings: ("n_startup_trials", "5")));
        var random = new RandomSearch().Suggest(Spaces.Request(Square, AlgorithmNames.Random, history, 1, seed: 5));

        Assert.Equal(random.Assignments[0], tpe.Assignments[0]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Running_trials_push_suggestions_away_from_themselves(bool multivariate)
    {
        // Good values cluster around x = 0.5; a running trial already sits there.
        var space = new SearchSpace([Parameter.Double("x", 0, 1)]);
        var random = new Random(1);
        var done = Enumerable.Range(0, 20).Select(i =>
        {
            var x = random.NextDouble();
            return Spaces.Done(space, [x], Math.Abs(x - 0.5), i);
        }).ToList();
        var algorithm = multivariate ? AlgorithmNames.MultivariateTpe : AlgorithmNames.Tpe;

        double MeanDistance(IReadOnlyList<TrialRecord> history) => Enumerable.Range(0, 40).Average(seed =>
        {
            var result = SuggestionAlgorithms.For(algorithm).Suggest(Spaces.Request(space, algorithm, history, 1, seed));
            return Math.Abs(space.Encode(result.Assignments[0])![0] - 0.5);
        });

        var alone = MeanDistance(done);
        var withLiars = MeanDistance([.. done, Spaces.Running(space, [0.5], 20), Spaces.Running(space, [0.5], 21), Spaces.Running(space, [0.5], 22)]);

        Assert.True(withLiars > alone * 1.5, $"mean distance from the running point: {withLiars:F4} with liars, {alone:F4} without");
    }

    [Fact]
    public void A_batch_of_suggestions_does_not_repeat_itself_on_a_small_stepped_space()
    {
        var space = new SearchSpace([Parameter.Int("k", 1, 10), Parameter.Categorical("c", "a", "b")]);
        var history = Enumerable.Range(0, 12).Select(i => Spaces.Done(space, [1 + i % 10, i % 2], Math.Abs(5 - (1 + i % 10)), i)).ToList();

        var result = new TpeSampler(multivariate: true).Suggest(Spaces.Request(space, AlgorithmNames.MultivariateTpe, history, 4, seed: 2));

        Assert.Equal(4, result.Assignments.Select(a => string.Join(",", a)).Distinct().Count());
    }

    [Fact]
    public void Bandwidths_are_the_larger_neighbour_gap_with_inner_gaps_at_the_ends_and_the_magic_clip()
    {
        // Sorted 1, 2, 6 in [0, 10]: 1 uses its right gap only, 2 the larger of 1 and 4, 6 its left gap; min sigma 10 / 5 = 2.
        var sigmas = NumericKernels.Bandwidths([6, 1, 2], 0, 10);

        Assert.Equal([4, 2, 4, 10], sigmas);
        Assert.Equal(9.5, NumericKernels.Bandwidths([0.5], 0, 10)[0]);
    }

    [Fact]
    public void Independent_tpe_scores_a_continuous_kernel_by_density_times_bandwidth_and_a_stepped_one_by_its_mass()
    {
        // Kernels at 1 and 9 in [0, 10]: sigmas 8 and 8 (each other's gap), the prior's 10 (Optuna 3.1's unnormalised truncated normal).
        var continuous = new NumericKernels(Parameter.Double("x", 0, 10), [1, 9], scaleByBandwidth: true);
        var normalised = new NumericKernels(Parameter.Double("x", 0, 10), [1, 9]);
        const int n = 100_000;
        for (var component = 0; component < 3; component++)
        {
            var integral = Enumerable.Range(0, n).Sum(i => Math.Exp(continuous.LogPdf(component, (i + 0.5) * 10.0 / n))) * 10.0 / n;
            Assert.Equal(component < 2 ? 8 : 10, integral, 3);
            Assert.Equal(1, Enumerable.Range(0, n).Sum(i => Math.Exp(normalised.LogPdf(component, (i + 0.5) * 10.0 / n))) * 10.0 / n, 3);
        }

        var stepped = new NumericKernels(Parameter.Int("k", 0, 10), [1, 9], scaleByBandwidth: true);
        Assert.Equal(1, Enumerable.Range(0, 11).Sum(k => Math.Exp(stepped.LogPdf(0, k))), 9);
    }

    [Fact]
    public void Weights_ramp_up_for_observations_older_than_the_newest_25()
    {
        Assert.All(TpeSettings.Weights(24), w => Assert.Equal(1, w));
        var weights = TpeSettings.Weights(30);
        Assert.Equal(1.0 / 30, weights[0], 12);
        Assert.Equal(1, weights[4], 12);
        Assert.All(weights[5..], w => Assert.Equal(1, w));
        Assert.Equal(3, new TpeSettings(Multivariate: false).Below(30));
        Assert.Equal(25, new TpeSettings(Multivariate: false).Below(1000));
    }
}
