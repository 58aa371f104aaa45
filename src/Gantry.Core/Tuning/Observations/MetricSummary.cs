namespace Gantry.Core.Tuning.Observations;

/// <summary>Katib's <c>observation.metrics[]</c> entry: min and max over parseable values, latest by time; text, <c>unavailable</c> when there is none.</summary>
public sealed record MetricSummary(string Name, string Min, string Max, string Latest);
