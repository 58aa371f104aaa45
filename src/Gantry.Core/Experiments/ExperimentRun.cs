using Gantry.Core.Tuning.Progress;

namespace Gantry.Core.Experiments;

/// <summary>
/// A submitted experiment as Gantry keeps it: the Katib manifest as sent (its
/// <c>spec.maxTrialCount</c> raised by a resume), who owns it, where its trials queue, and the
/// state the leader's controller last wrote with Katib's reason and message. <see cref="Summary"/>
/// holds the trial counts and the best trial as of that write, so lists need no trial reads.
/// </summary>
public sealed record ExperimentRun
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Owner { get; init; }
    /// <summary>The owner's groups when they submitted: trials are submitted with them, for queues that admit groups.</summary>
    public IReadOnlyList<string> OwnerGroups { get; init; } = [];
    public required string Queue { get; init; }
    public int Priority { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    /// <summary>The Experiment manifest (JSON text).</summary>
    public required string Manifest { get; init; }
    public ExperimentConditionType State { get; init; } = ExperimentConditionType.Created;
    public string Reason { get; init; } = ExperimentReasons.Created;
    public string Message { get; init; } = ExperimentReasons.CreatedMessage;
    /// <summary>The algorithm said it has no more points (a grid fully used).</summary>
    public bool Exhausted { get; init; }
    public ExperimentSummary Summary { get; init; } = ExperimentSummary.Empty;
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>Optimistic concurrency: every write checks and bumps it.</summary>
    public long Version { get; init; }
    /// <summary>The store's insertion order: the list's cursor.</summary>
    public long Seq { get; init; }

    public bool IsFinished => State is ExperimentConditionType.Succeeded or ExperimentConditionType.Failed;
}
