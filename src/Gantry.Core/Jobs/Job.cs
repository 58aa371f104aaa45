using Gantry.Core.Resources;

namespace Gantry.Core.Jobs;

/// <summary>
/// A unit of work and everything Gantry knows about it. Immutable: a change is a new Job,
/// and a state change also yields the <see cref="JobEvent"/> that records it.
/// </summary>
public sealed record Job
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Kind { get; init; }
    public required string Queue { get; init; }
    public required string Owner { get; init; }
    public int Priority { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>The operator's own manifest, as canonical JSON.</summary>
    public required string Manifest { get; init; }

    public required ResourceDemand Demand { get; init; }
    public JobState State { get; init; } = JobState.Queued;
    public string? Cluster { get; init; }
    public string Message { get; init; } = "";
    public int Attempts { get; init; }
    public int MaxAttempts { get; init; } = 1;
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public string? SparkUiUrl { get; init; }

    /// <summary>What the backend needs to find the job again after a restart (a pid, an object name), as JSON.</summary>
    public string? BackendState { get; init; }

    /// <summary>Optimistic concurrency: the store only writes a change made from the version it holds.</summary>
    public long Version { get; init; }

    /// <summary>Store-assigned insertion order; the basis of cursor pagination.</summary>
    public long Seq { get; init; }

    public bool IsTerminal => JobStateMachine.IsTerminal(State);

    /// <summary>
    /// Moves the job to <paramref name="to"/>, stamping start and finish times, or throws
    /// <see cref="InvalidTransitionException"/> when the state machine forbids it.
    /// </summary>
    public (Job Job, JobEvent Event) TransitionTo(JobState to, string reason, DateTimeOffset at)
    {
        if (!JobStateMachine.CanTransition(State, to))
        {
            throw new InvalidTransitionException(Id, State, to);
        }
        var next = this with
        {
            State = to,
            Message = reason,
            UpdatedAt = at,
            StartedAt = to == JobState.Running && StartedAt is null ? at : StartedAt,
            FinishedAt = JobStateMachine.IsTerminal(to) ? at : FinishedAt,
            Attempts = Starts(to) ? Attempts + 1 : Attempts,
        };
        if (to == JobState.Queued)
        {
            // Back in the queue: the old placement no longer holds.
            next = next with { Cluster = null, BackendState = null, StartedAt = null, SparkUiUrl = null };
        }
        return (next, new JobEvent(Id, at, State, to, reason));
    }

    /// <summary>
    /// Whether moving to <paramref name="to"/> means the job started on its cluster: it runs, or it
    /// ended from Dispatching or Submitted without having been seen running. An attempt is a start,
    /// not a placement: a job sent back to the queue before it started has used none.
    /// </summary>
    private bool Starts(JobState to) =>
        to == JobState.Running
        || (to is JobState.Succeeded or JobState.Failed && State is JobState.Dispatching or JobState.Submitted);

    /// <summary>
    /// Records <paramref name="reason"/> as something that happened to the job without changing its
    /// state (a training replica restarted): an event from its state to the same state, and its message.
    /// </summary>
    public (Job Job, JobEvent Event) Note(string reason, DateTimeOffset at) =>
        (this with { Message = reason, UpdatedAt = at }, new JobEvent(Id, at, State, State, reason));
}
