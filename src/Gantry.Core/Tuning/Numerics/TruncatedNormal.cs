namespace Gantry.Core.Tuning.Numerics;

/// <summary>A normal(mu, sigma) truncated to [low, high]: log-density, log-mass of an interval, and sampling by inverse CDF.</summary>
public static class TruncatedNormal
{
    /// <summary>ln of the density at <paramref name="x"/> (inside the bounds).</summary>
    public static double LogPdf(double x, double mu, double sigma, double low, double high) =>
        NormalDistribution.LogPdf((x - mu) / sigma) - Math.Log(sigma) - NormalDistribution.LogMass((low - mu) / sigma, (high - mu) / sigma);

    /// <summary>ln of the probability of [a, b] ⊂ [low, high], for discretised (stepped) parameters.</summary>
    public static double LogIntervalMass(double a, double b, double mu, double sigma, double low, double high) =>
        NormalDistribution.LogMass((Math.Max(a, low) - mu) / sigma, (Math.Min(b, high) - mu) / sigma)
        - NormalDistribution.LogMass((low - mu) / sigma, (high - mu) / sigma);

    /// <summary>A draw for the uniform <paramref name="u"/> in [0, 1).</summary>
    public static double Sample(double u, double mu, double sigma, double low, double high)
    {
        var a = (low - mu) / sigma;
        var b = (high - mu) / sigma;
        var flip = a > 0;
        if (flip)
        {
            // Work on the left tail, where Φ keeps its precision, and mirror back.
            (a, b) = (-b, -a);
        }
        var pa = NormalDistribution.Cdf(a);
        var pb = NormalDistribution.Cdf(b);
        double z;
        if (pb - pa <= 0)
        {
            // Both bounds are beyond Φ's reach: the mass sits at the bound nearer the mean.
            z = b;
        }
        else
        {
            z = NormalDistribution.InverseCdf(pa + u * (pb - pa));
        }
        z = Math.Clamp(z, a, b);
        if (flip)
        {
            z = -z;
        }
        return Math.Clamp(mu + sigma * z, low, high);
    }
}
