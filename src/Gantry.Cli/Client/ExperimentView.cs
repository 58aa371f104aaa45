using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Gantry.Cli.Client;

/// <summary>
/// An experiment as <c>GET /api/v1/experiments/{id}</c> answers it (docs/experiments.md, "The API"),
/// read by the CLI on its own terms so that it depends on the documented shape, not on the server's types.
/// </summary>
internal sealed record ExperimentView(
    string Id,
    string Name,
    string Owner,
    string Queue,
    int Priority,
    IReadOnlyDictionary<string, string>? Labels,
    string State,
    string? Reason,
    string? Message,
    ExperimentView.ObjectiveView Objective,
    string Algorithm,
    IReadOnlyList<ExperimentView.ParameterView> Parameters,
    int ParallelTrialCount,
    int? MaxTrialCount,
    int? MaxFailedTrialCount,
    string? EarlyStopping,
    ExperimentView.TrialCounts Trials,
    ExperimentView.OptimalTrialView? CurrentOptimalTrial,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    JsonObject? Manifest)
{
    public sealed record ObjectiveView(string Type, string MetricName, double? Goal, IReadOnlyList<string>? AdditionalMetricNames);

    public sealed record ParameterView(string Name, string Type, string? Min, string? Max, string? Step, IReadOnlyList<string>? List, string? Distribution);

    public sealed record TrialCounts(int Total, int Created, int Running, int Succeeded, int Failed, int Killed, int EarlyStopped, int MetricsUnavailable);

    public sealed record OptimalTrialView(string BestTrialName, IReadOnlyList<AssignmentView> ParameterAssignments, ObservationView? Observation);

    public sealed record AssignmentView(string Name, string Value);

    public sealed record ObservationView(IReadOnlyList<MetricView> Metrics);

    public sealed record MetricView(string Name, string? Min, string? Max, string? Latest);

    /// <summary>Katib's finished states; a cancelled experiment is Failed with reason ExperimentCancelled.</summary>
    [JsonIgnore]
    public bool Finished => State is "Succeeded" or "Failed";
}
