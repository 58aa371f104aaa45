namespace Gantry.Bench.Tuner;

/// <summary>
/// One row of the table: over the runs of one sampler on one function, how many reached the target
/// regret, the median trials to reach it (over the runs that did), the median regret half-way and
/// at the end, and the wall time of all runs.
/// </summary>
public sealed record TunerFigures(string Function, string Sampler, int Runs, int Reached, double? MedianTrialsToTarget, double MedianRegretHalfway, double MedianRegretAtEnd, TimeSpan Wall)
{
    public static TunerFigures From(BenchmarkFunction function, string sampler, IReadOnlyList<double[]> runs, TimeSpan wall)
    {
        var toTarget = runs.Select(r => Array.FindIndex(r, regret => regret <= function.TargetRegret))
            .Where(i => i >= 0).Select(i => i + 1.0).ToList();
        return new TunerFigures(
            function.Name,
            sampler,
            runs.Count,
            toTarget.Count,
            toTarget.Count == 0 ? null : Median(toTarget),
            Median([.. runs.Select(r => r[(r.Length - 1) / 2])]),
            Median([.. runs.Select(r => r[^1])]),
            wall);
    }

    /// <summary>The median as NumPy computes it (the mean of the two middle values for an even count), as the Optuna anchor was.</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
