namespace Gantry.Core.Tuning;

/// <summary>Katib's <c>metricsCollectorSpec.collector.kind</c>.</summary>
public enum CollectorKind
{
    StdOut,
    File,
    TensorFlowEvent,
    PrometheusMetric,
    Custom,
    None,
    Push,
}
