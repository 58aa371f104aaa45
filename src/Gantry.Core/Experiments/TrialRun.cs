using Gantry.Core.Tuning;
using Gantry.Core.Tuning.Observations;

namespace Gantry.Core.Experiments;

/// <summary>
/// One trial as Gantry keeps it. The row is written (with its assignments) before its job is
/// submitted, and the job is submitted with an idempotency key made of the experiment and
/// <see cref="Index"/>: a controller that dies between the two submits it again and gets the same
/// job, never a second one. <see cref="ObjectiveHead"/> keeps the first objective values reported,
/// which is all median stopping needs of a finished trial.
/// </summary>
public sealed record TrialRun
{
    /// <summary>How many leading objective values a trial keeps for median stopping's rule.</summary>
    public const int MaxObjectiveHead = 1000;

    public required string ExperimentId { get; init; }
    public required int Index { get; init; }
    public required string Name { get; init; }
    public required IReadOnlyList<ParameterAssignment> Assignments { get; init; }
    public string? JobId { get; init; }
    public TrialState State { get; init; } = TrialState.Created;
    public double? Objective { get; init; }
    public IReadOnlyList<MetricSummary> Metrics { get; init; } = [];
    public IReadOnlyList<double> ObjectiveHead { get; init; } = [];
    public string Message { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The idempotency key its job is submitted with (one job per trial, however often the submit is retried).</summary>
    public string SubmissionKey => $"gantry-experiment/{ExperimentId}/trial/{Index}";

    public TrialRecord ToRecord() => new(Name, Assignments, State, Objective);
}
