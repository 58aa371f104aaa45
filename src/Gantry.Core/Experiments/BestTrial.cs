using Gantry.Core.Tuning;
using Gantry.Core.Tuning.Observations;

namespace Gantry.Core.Experiments;

/// <summary>Katib's <c>currentOptimalTrial</c>: the best trial's name, assignments, objective value and metric summaries.</summary>
public sealed record BestTrial(string Name, IReadOnlyList<ParameterAssignment> Assignments, double Objective, IReadOnlyList<MetricSummary> Metrics);
