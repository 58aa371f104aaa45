namespace Gantry.Core.Tuning;

/// <summary>
/// Katib's <c>metricsCollectorSpec</c>: the collector kind, the line filters
/// (<c>source.filter.metricsFormat</c>, empty for Katib's default) and the file source if any.
/// </summary>
public sealed record MetricsCollector(CollectorKind Kind, IReadOnlyList<string> MetricsFormat, string? FilePath, string? FileFormat)
{
    public static readonly MetricsCollector Default = new(CollectorKind.StdOut, [], null, null);
}
