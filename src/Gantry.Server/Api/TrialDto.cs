using Gantry.Core.Experiments;
using Gantry.Core.Tuning;
using Gantry.Core.Tuning.Observations;

namespace Gantry.Server.Api;

/// <summary>One trial: its assignments, its job, Katib's trial state, the objective under its strategy and every metric's summary.</summary>
public sealed record TrialDto(
    string Name,
    int Index,
    string? JobId,
    TrialState State,
    IReadOnlyList<ParameterAssignment> ParameterAssignments,
    double? Objective,
    IReadOnlyList<MetricSummary> Metrics,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt,
    string Message)
{
    public static TrialDto From(TrialRun t) =>
        new(t.Name, t.Index, t.JobId, t.State, t.Assignments, t.Objective, t.Metrics, t.CreatedAt, t.FinishedAt, t.Message);
}

public sealed record TrialListDto(IReadOnlyList<TrialDto> Items);
