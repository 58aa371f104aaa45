using Gantry.Core.Tuning;

namespace Gantry.Bench.Tuner;

/// <summary>
/// A test function to minimise over a search space, its known optimum and the regret (best − optimum)
/// a run must reach. The two here are tuning.md §8's anchor functions, with the same domains and targets.
/// </summary>
public sealed record BenchmarkFunction(string Name, SearchSpace Space, Func<double[], double> Evaluate, double Optimum, double TargetRegret)
{
    /// <summary>Branin on x1 ∈ [−5, 10], x2 ∈ [0, 15]: three global minima of 0.397887; target regret 0.1.</summary>
    public static BenchmarkFunction Branin { get; } = new(
        "branin",
        new SearchSpace([Parameter.Double("x1", -5, 10), Parameter.Double("x2", 0, 15)]),
        BraninAt,
        0.397887357729739,
        0.1);

    /// <summary>Hartmann-6 on [0, 1]^6: one global minimum of −3.32237 among several local ones; target regret 0.5.</summary>
    public static BenchmarkFunction Hartmann6 { get; } = new(
        "hartmann6",
        new SearchSpace([.. Enumerable.Range(1, 6).Select(i => Parameter.Double($"x{i}", 0, 1))]),
        Hartmann6At,
        -3.32237,
        0.5);

    public static IReadOnlyList<BenchmarkFunction> All { get; } = [Branin, Hartmann6];

    private static double BraninAt(double[] x)
    {
        const double b = 5.1 / (4 * Math.PI * Math.PI);
        const double c = 5 / Math.PI;
        const double t = 1 / (8 * Math.PI);
        var inner = x[1] - b * x[0] * x[0] + c * x[0] - 6;
        return inner * inner + 10 * (1 - t) * Math.Cos(x[0]) + 10;
    }

    // The standard constants (Hartmann 1973; as in Surjanovic & Bingham's library of test functions).
    private static readonly double[] Alpha = [1.0, 1.2, 3.0, 3.2];

    private static readonly double[,] A =
    {
        { 10, 3, 17, 3.5, 1.7, 8 },
        { 0.05, 10, 17, 0.1, 8, 14 },
        { 3, 3.5, 1.7, 10, 17, 8 },
        { 17, 8, 0.05, 10, 0.1, 14 },
    };

    private static readonly double[,] P =
    {
        { 0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886 },
        { 0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991 },
        { 0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650 },
        { 0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381 },
    };

    private static double Hartmann6At(double[] x)
    {
        var sum = 0.0;
        for (var i = 0; i < 4; i++)
        {
            var exponent = 0.0;
            for (var j = 0; j < 6; j++)
            {
                var d = x[j] - P[i, j];
                exponent += A[i, j] * d * d;
            }
            sum += Alpha[i] * Math.Exp(-exponent);
        }
        return -sum;
    }
}
