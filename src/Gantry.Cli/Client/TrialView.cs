namespace Gantry.Cli.Client;

/// <summary>One trial as <c>GET /api/v1/experiments/{id}/trials</c> answers it (docs/experiments.md).</summary>
internal sealed record TrialView(
    string Name,
    int Index,
    string? JobId,
    string State,
    IReadOnlyList<ExperimentView.AssignmentView> ParameterAssignments,
    double? Objective,
    IReadOnlyList<ExperimentView.MetricView>? Metrics,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt,
    string? Message);
