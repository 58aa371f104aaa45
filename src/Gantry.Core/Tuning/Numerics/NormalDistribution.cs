namespace Gantry.Core.Tuning.Numerics;

/// <summary>
/// The standard normal's CDF in log space (accurate far into both tails, where TPE's truncated
/// kernels live) and its inverse. erfc is the Chebyshev-fitted rational form from Numerical
/// Recipes (relative error below 1.2e-7 everywhere), evaluated in log space so it never
/// underflows; the inverse CDF is Acklam's rational approximation (relative error 1.15e-9).
/// </summary>
public static class NormalDistribution
{
    public const double LogSqrtTwoPi = 0.91893853320467274178;
    private const double Sqrt2 = 1.41421356237309504880;

    /// <summary>ln erfc(x) for x &gt;= 0.</summary>
    public static double LogErfcPositive(double x)
    {
        var t = 1.0 / (1.0 + 0.5 * x);
        var poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
            + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
        return Math.Log(t) - x * x + poly;
    }

    public static double Erfc(double x) => x >= 0 ? Math.Exp(LogErfcPositive(x)) : 2.0 - Math.Exp(LogErfcPositive(-x));

    /// <summary>Φ(z).</summary>
    public static double Cdf(double z) => 0.5 * Erfc(-z / Sqrt2);

    /// <summary>ln Φ(z), exact to the approximation's precision even for z = -1000.</summary>
    public static double LogCdf(double z) => z < 0
        ? Math.Log(0.5) + LogErfcPositive(-z / Sqrt2)
        : Log1P(-0.5 * Math.Exp(LogErfcPositive(z / Sqrt2)));

    public static double LogPdf(double z) => -0.5 * z * z - LogSqrtTwoPi;

    /// <summary>ln(Φ(b) − Φ(a)) for a &lt; b, computed on the side of the mean where it does not cancel.</summary>
    public static double LogMass(double a, double b)
    {
        if (a > 0)
        {
            // Φ(b) − Φ(a) = Φ(−a) − Φ(−b): both small on the left, so no cancellation.
            (a, b) = (-b, -a);
        }
        var logB = LogCdf(b);
        var logA = LogCdf(a);
        if (double.IsNegativeInfinity(logA) || logA >= logB)
        {
            return logA >= logB && !double.IsNegativeInfinity(logA) ? double.NegativeInfinity : logB;
        }
        return logB + Log1P(-Math.Exp(logA - logB));
    }

    /// <summary>Φ⁻¹(p) for 0 &lt; p &lt; 1 (Acklam).</summary>
    public static double InverseCdf(double p)
    {
        if (p <= 0)
        {
            return double.NegativeInfinity;
        }
        if (p >= 1)
        {
            return double.PositiveInfinity;
        }
        const double pLow = 0.02425;
        if (p < pLow)
        {
            var q = Math.Sqrt(-2 * Math.Log(p));
            return Tail(q);
        }
        if (p > 1 - pLow)
        {
            var q = Math.Sqrt(-2 * Math.Log(1 - p));
            return -Tail(q);
        }
        var r = p - 0.5;
        var s = r * r;
        return (((((-3.969683028665376e+01 * s + 2.209460984245205e+02) * s - 2.759285104469687e+02) * s + 1.383577518672690e+02) * s
                - 3.066479806614716e+01) * s + 2.506628277459239e+00) * r
            / (((((-5.447609879822406e+01 * s + 1.615858368580409e+02) * s - 1.556989798598866e+02) * s + 6.680131188771972e+01) * s
                - 1.328068155288572e+01) * s + 1);
    }

    /// <summary>ln(1 + x) without the cancellation of Math.Log(1 + x) near 0.</summary>
    public static double Log1P(double x) => Math.Abs(x) < 1e-4 ? x * (1 - x * (0.5 - x / 3)) : Math.Log(1 + x);

    private static double Tail(double q) =>
        (((((-7.784894002430293e-03 * q - 3.223964580411365e-01) * q - 2.400758277161838e+00) * q - 2.549732539343734e+00) * q
            + 4.374664141464968e+00) * q + 2.938163982698783e+00)
        / ((((7.784695709041462e-03 * q + 3.224671290700398e-01) * q + 2.445134137142996e+00) * q + 3.754408661907416e+00) * q + 1);
}
