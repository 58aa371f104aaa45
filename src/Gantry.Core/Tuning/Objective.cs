namespace Gantry.Core.Tuning;

/// <summary>
/// Katib's <c>spec.objective</c> after defaulting: every metric (the objective first) has a
/// strategy, as <c>experiment_defaults.go</c> fills them in.
/// </summary>
public sealed record Objective(
    ObjectiveType Type,
    string MetricName,
    double? Goal,
    IReadOnlyList<string> AdditionalMetricNames,
    IReadOnlyDictionary<string, MetricStrategy> Strategies)
{
    /// <summary>The objective metric first, then the additional ones, as Katib's collectors expect them.</summary>
    public IReadOnlyList<string> AllMetricNames => [MetricName, .. AdditionalMetricNames];

    public MetricStrategy StrategyOf(string metric) =>
        Strategies.TryGetValue(metric, out var strategy) ? strategy : DefaultStrategy(Type);

    /// <summary>True when <paramref name="candidate"/> is strictly better than <paramref name="incumbent"/>.</summary>
    public bool IsBetter(double candidate, double incumbent) =>
        Type == ObjectiveType.Minimize ? candidate < incumbent : candidate > incumbent;

    /// <summary>Katib: maximize succeeds once the best value is &gt;= goal, minimize once it is &lt;= goal.</summary>
    public bool Reaches(double value) => Goal is { } goal
        && (Type == ObjectiveType.Minimize ? value <= goal : value >= goal);

    /// <summary>Katib defaults every metric to min when minimizing and max when maximizing.</summary>
    public static MetricStrategy DefaultStrategy(ObjectiveType type) =>
        type == ObjectiveType.Minimize ? MetricStrategy.Min : MetricStrategy.Max;
}
