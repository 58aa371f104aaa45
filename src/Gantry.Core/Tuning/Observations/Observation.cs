using System.Globalization;

namespace Gantry.Core.Tuning.Observations;

/// <summary>
/// A trial's observation from its metric log (<c>trial_controller_util.go</c>): per metric, min and
/// max over values that parse as numbers and latest = the value with the newest time (ties: the
/// later row). The objective value follows the metric's strategy; when min or max is unavailable
/// the latest value is used, as Katib does.
/// </summary>
public static class Observation
{
    public static IReadOnlyList<MetricSummary> Summarize(IReadOnlyList<MetricLog> logs, IReadOnlyList<string> metricNames)
    {
        var summaries = new List<MetricSummary>(metricNames.Count);
        foreach (var name in metricNames)
        {
            double? min = null, max = null;
            MetricLog? latest = null;
            foreach (var log in logs)
            {
                if (log.Name != name)
                {
                    continue;
                }
                if (latest is null || log.Time >= latest.Time)
                {
                    latest = log;
                }
                if (TryParse(log.Value, out var value))
                {
                    min = min is null ? value : Math.Min(min.Value, value);
                    max = max is null ? value : Math.Max(max.Value, value);
                }
            }
            summaries.Add(new MetricSummary(name, Text(min), Text(max), latest?.Value ?? MetricLog.Unavailable));
        }
        return summaries;
    }

    /// <summary>The value of <paramref name="summary"/> under <paramref name="strategy"/>, or null when nothing parseable was reported.</summary>
    public static double? Value(MetricSummary summary, MetricStrategy strategy)
    {
        var text = strategy switch
        {
            MetricStrategy.Min => summary.Min,
            MetricStrategy.Max => summary.Max,
            _ => summary.Latest,
        };
        if (text == MetricLog.Unavailable)
        {
            text = summary.Latest;
        }
        return TryParse(text, out var value) ? value : null;
    }

    /// <summary>The trial's objective value: the objective metric's summary under its strategy.</summary>
    public static double? ObjectiveValue(Objective objective, IReadOnlyList<MetricLog> logs)
    {
        var summary = Summarize(logs, [objective.MetricName])[0];
        return Value(summary, objective.StrategyOf(objective.MetricName));
    }

    public static bool TryParse(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private static string Text(double? value) => value?.ToString(CultureInfo.InvariantCulture) ?? MetricLog.Unavailable;
}
