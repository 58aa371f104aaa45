namespace Gantry.Core.Tuning.Observations;

/// <summary>
/// One reported value, as Katib's <c>observation_logs</c> row: a metric name, its value as text
/// (a number, or <c>unavailable</c>) and when it was reported. Rows keep their arrival order in lists.
/// </summary>
public sealed record MetricLog(string Name, string Value, DateTimeOffset Time)
{
    public const string Unavailable = "unavailable";
}
