namespace Gantry.Core.Tuning.EarlyStopping;

/// <summary>
/// Katib's early-stopping rule for new trials (<c>earlyStoppingRules[]</c>): stop once, after
/// <see cref="StartStep"/> reports, the objective's best value so far compares
/// <see cref="StopWhenLess"/> (maximizing) or greater (minimizing) than <see cref="Value"/>.
/// </summary>
public sealed record MedianStopRule(string MetricName, double Value, bool StopWhenLess, int StartStep);
