using Gantry.Core.Jobs;

namespace Gantry.Storage;

public interface IJobStore
{
    /// <summary>
    /// Stores a new job with its first event, durably, before returning. With an idempotency
    /// key already used by the same owner it stores nothing and returns the first job.
    /// </summary>
    Task<SubmitOutcome> InsertAsync(NewJob submission, CancellationToken cancellationToken);

    Task<Job?> GetAsync(string id, CancellationToken cancellationToken);

    Task<JobPage> ListAsync(JobQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="updated"/> (and <paramref name="transition"/> when given) if the
    /// stored job still has <c>updated.Version</c>; returns the job with its new version.
    /// Throws <see cref="ConcurrencyException"/> when someone else changed it first.
    /// </summary>
    Task<Job> UpdateAsync(Job updated, JobEvent? transition, CancellationToken cancellationToken) =>
        UpdateAsync(updated, transition, null, cancellationToken);

    /// <summary>
    /// As above; with a <paramref name="fence"/> (a leader's write), the lease is checked in the same
    /// transaction first and <see cref="FencedOutException"/> thrown, with nothing written, when its term is over.
    /// </summary>
    Task<Job> UpdateAsync(Job updated, JobEvent? transition, LeaseFence? fence, CancellationToken cancellationToken);

    Task<IReadOnlyList<JobEvent>> EventsAsync(string jobId, long afterSeq, CancellationToken cancellationToken);

    /// <summary>
    /// Every job's events after <paramref name="afterSeq"/>, oldest first, at most <paramref name="limit"/>:
    /// what changed since a watcher of the whole list last looked.
    /// </summary>
    Task<IReadOnlyList<JobEvent>> EventsSinceAsync(long afterSeq, int limit, CancellationToken cancellationToken);

    /// <summary>The newest event's sequence number (0 when there is none): where a new watcher of the list starts.</summary>
    Task<long> LastEventSeqAsync(CancellationToken cancellationToken);

    /// <summary>Jobs that hold or may hold capacity on a cluster (Dispatching, Submitted, Running, Cancelling).</summary>
    Task<IReadOnlyList<Job>> ActiveAsync(CancellationToken cancellationToken);

    /// <summary>The first <paramref name="perQueue"/> queued jobs of every queue, in submission order.</summary>
    Task<IReadOnlyList<Job>> QueuedHeadsAsync(int perQueue, CancellationToken cancellationToken);

    /// <summary>How many queued jobs of the same queue were submitted before this one.</summary>
    Task<int> QueuedAheadAsync(Job job, CancellationToken cancellationToken);

    /// <summary>Sets the message of jobs that are still queued (the scheduler's reasons); other jobs are left alone.</summary>
    Task SetQueuedMessagesAsync(IReadOnlyDictionary<string, string> messages, CancellationToken cancellationToken);

    /// <summary>How many jobs wait in each queue that has any.</summary>
    Task<IReadOnlyDictionary<string, long>> QueuedCountsAsync(CancellationToken cancellationToken);

    /// <summary>Counts of jobs per state, for readiness and metrics.</summary>
    Task<IReadOnlyDictionary<JobState, long>> CountByStateAsync(CancellationToken cancellationToken);

    /// <summary>Counts of jobs per state, kind, queue and cluster: one row per combination that has any.</summary>
    Task<IReadOnlyList<JobCount>> CountGroupsAsync(CancellationToken cancellationToken);
}
