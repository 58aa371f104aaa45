namespace Gantry.Core.Tuning;

/// <summary>Which value of a metric's history becomes the trial's result (Katib's <c>metricStrategies[].value</c>).</summary>
public enum MetricStrategy
{
    Min,
    Max,
    Latest,
}
