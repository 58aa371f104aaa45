using Gantry.Core.Jobs;
using Gantry.Server.Monitoring;
using Gantry.Storage;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Jobs;

/// <summary>
/// Writes one change of a job with optimistic concurrency: reads it, asks what it should become,
/// writes that with its event, retries from a fresh read when another writer got there first,
/// and tells watchers and metrics.
/// </summary>
/// <remarks>Logs with <see cref="JobLifecycle"/>'s logger: its conflicts are the life cycle's.</remarks>
internal sealed partial class JobChangeWriter(
    IGantryStore store,
    JobChangeNotifier notifier,
    JobMetrics metrics,
    TimeProvider time,
    ILogger logger)
{
    private const int MaxAttempts = 8;

    /// <summary>
    /// Reads the job, asks <paramref name="change"/> what it should become (null: nothing to do)
    /// and writes that, retrying from a fresh read when another writer got there first.
    /// </summary>
    public async Task<Job?> ChangeAsync(string jobId, LeaseFence? fence, Func<Job, (Job Job, JobEvent? Event)?> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var job = await store.Jobs.GetAsync(jobId, cancellationToken);
            if (job is null)
            {
                return null;
            }
            var next = change(job);
            if (next is null)
            {
                return job;
            }
            try
            {
                var saved = await store.Jobs.UpdateAsync(next.Value.Job, next.Value.Event, fence, cancellationToken);
                notifier.Notify(jobId);
                metrics.Changed(job, saved);
                return saved;
            }
            catch (ConcurrencyException) when (attempt < MaxAttempts)
            {
                LogConflict(jobId, attempt);
            }
        }
    }

    /// <summary>The job moved to <paramref name="to"/> now, with its event.</summary>
    public (Job, JobEvent?) Transition(Job job, JobState to, string reason)
    {
        var (next, transition) = job.TransitionTo(to, reason, time.GetUtcNow());
        return (next, transition);
    }

    [LoggerMessage(1102, LogLevel.Debug, "Job {JobId} changed concurrently (attempt {Attempt}); retrying")]
    private partial void LogConflict(string jobId, int attempt);
}
