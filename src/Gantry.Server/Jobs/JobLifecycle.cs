using Gantry.Backends;
using Gantry.Core.Errors;
using Gantry.Core.Failover;
using Gantry.Core.Jobs;
using Gantry.Server.Auth;
using Gantry.Server.Clusters;
using Gantry.Server.Monitoring;
using Gantry.Server.Replication;
using Gantry.Storage;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Jobs;

/// <summary>
/// Every change of a job's state after submission goes through here: backend reports,
/// dispatch, cancel. Each change is written with optimistic concurrency and retried on a
/// conflict, and watchers are told.
/// </summary>
public sealed partial class JobLifecycle(
    IGantryStore store,
    BackendRegistry backends,
    JobChangeNotifier notifier,
    JobMetrics metrics,
    Leadership leadership,
    CrashPoints crashPoints,
    TimeProvider time,
    ILogger<JobLifecycle> logger) : IJobUpdateSink
{
    private readonly JobChangeWriter _writer = new(store, notifier, metrics, time, logger);
    private readonly JobStarter _starter = new(store, backends, metrics, leadership, time, logger);
    private readonly CancelsCarriedOut _cancels = new(backends);

    public Task ReportAsync(JobUpdate update, CancellationToken cancellationToken) => ReportFromAsync(null, update, cancellationToken);

    /// <summary>
    /// Applies a backend's report; with <paramref name="cluster"/>, only while the job is still placed
    /// there (a lost cluster that answers again must not move the job's attempt elsewhere).
    /// </summary>
    public async Task ReportFromAsync(string? cluster, JobUpdate update, CancellationToken cancellationToken)
    {
        if (leadership.Current is not { } term)
        {
            // Only the leader follows jobs; the next leader's take-over reads the backend afresh.
            LogReportDropped(update.JobId, update.State);
            return;
        }
        try
        {
            await ReportInTermAsync(cluster, update, term.Fence, cancellationToken);
        }
        catch (FencedOutException)
        {
            LogReportDropped(update.JobId, update.State);
        }
    }

    private async Task ReportInTermAsync(string? cluster, JobUpdate update, LeaseFence fence, CancellationToken cancellationToken)
    {
        if (update.State == JobState.Submitted)
        {
            crashPoints.Reach(CrashPoints.BeforeSubmitted);
        }
        await ChangeAsync(update.JobId, fence, job =>
        {
            if (cluster is not null && job.Cluster != cluster)
            {
                LogForeignUpdate(job.Id, cluster, job.Cluster);
                return null;
            }
            if (update.Note)
            {
                return job.State == update.State ? job.Note(update.Reason, time.GetUtcNow()) : null;
            }
            if (job.State == update.State)
            {
                var same = job with
                {
                    BackendState = update.BackendState ?? job.BackendState,
                    SparkUiUrl = update.SparkUiUrl ?? job.SparkUiUrl,
                };
                return same == job ? null : (same, null);
            }
            if (!JobStateMachine.CanTransition(job.State, update.State))
            {
                LogStaleUpdate(job.Id, job.State, update.State);
                return null;
            }
            var (next, transition) = job.TransitionTo(update.State, update.Reason, time.GetUtcNow());
            return (next with
            {
                BackendState = update.BackendState ?? next.BackendState,
                SparkUiUrl = update.SparkUiUrl ?? next.SparkUiUrl,
            }, transition);
        }, cancellationToken);
    }

    /// <summary>Moves a queued job to <paramref name="cluster"/> and starts it there.</summary>
    public async Task DispatchAsync(string jobId, string cluster, CancellationToken cancellationToken)
    {
        var job = await ChangeAsync(jobId, leadership.RequireFence(), j => j.State != JobState.Queued
            ? null
            : Transition(j with { Cluster = cluster }, JobState.Dispatching, $"placed on cluster {cluster}"), cancellationToken);
        if (job is not { State: JobState.Dispatching } || job.Cluster != cluster)
        {
            return;
        }
        crashPoints.Reach(CrashPoints.AfterIntent);
        await StartOnClusterAsync(job, cluster, cancellationToken);
    }

    /// <summary>
    /// Finishes the dispatch of a job an earlier leader left in Dispatching on <paramref name="cluster"/>
    /// and whose resource is not there: on the same cluster, under the same name (see
    /// <see cref="IJobUpdateSink.RecreateAsync"/>). Nothing to do if the job has moved on meanwhile.
    /// </summary>
    public async Task RecreateAsync(string cluster, string jobId, CancellationToken cancellationToken)
    {
        await RecreateIfPlacedAsync(cluster, jobId, cancellationToken);
    }

    /// <summary>The sink's form, for a backend that does not say its cluster: the job's own placement.</summary>
    async Task IJobUpdateSink.RecreateAsync(string jobId, CancellationToken cancellationToken)
    {
        if (await store.Jobs.GetAsync(jobId, cancellationToken) is { Cluster: { } cluster })
        {
            await RecreateIfPlacedAsync(cluster, jobId, cancellationToken);
        }
    }

    private async Task RecreateIfPlacedAsync(string cluster, string jobId, CancellationToken cancellationToken)
    {
        var job = await store.Jobs.GetAsync(jobId, cancellationToken);
        if (job is { State: JobState.Dispatching } && job.Cluster == cluster && leadership.Current is not null)
        {
            LogRecreating(jobId, cluster);
            await StartOnClusterAsync(job, cluster, cancellationToken);
        }
    }

    /// <summary>Creates the stored intent on its cluster (a retryable failure queues the job again, any other fails it).</summary>
    private async Task StartOnClusterAsync(Job job, string cluster, CancellationToken cancellationToken)
    {
        if (await _starter.StartOnClusterAsync(job, cluster, cancellationToken) is { } failed)
        {
            await ReportAsync(failed, cancellationToken);
        }
    }

    /// <summary>
    /// Moves a job off <paramref name="cluster"/>, lost since <paramref name="since"/>: back to the
    /// queue, or failed or cancelled (see <see cref="LostCluster"/>). The backend gives the job up
    /// first, so nothing it still hears from the cluster reaches the job afterwards.
    /// </summary>
    public async Task<Job?> FailOverAsync(Job job, string cluster, DateTimeOffset since, IAbandonJobs? backend, CancellationToken cancellationToken)
    {
        if (LostCluster.Decide(job, cluster, since) is null)
        {
            return null;
        }
        if (backend is not null)
        {
            await backend.AbandonAsync(job, cancellationToken);
        }
        FailoverDecision? applied = null;
        var moved = await ChangeAsync(job.Id, leadership.RequireFence(), j =>
        {
            applied = LostCluster.Decide(j, cluster, since);
            return applied is null ? null : Transition(j, applied.To, applied.Reason);
        }, cancellationToken);
        if (applied is not null)
        {
            LogFailedOver(job.Id, cluster, applied.To, applied.Reason);
        }
        return moved;
    }

    /// <summary>Fails a job that can never run, with the reason.</summary>
    public Task RejectAsync(string jobId, string reason, CancellationToken cancellationToken) =>
        ChangeAsync(jobId, leadership.RequireFence(), j => j.State == JobState.Queued ? Transition(j, JobState.Failed, reason) : null, cancellationToken);

    /// <summary>
    /// Cancels the job (idempotent): a queued job ends at once; a started one is marked Cancelling,
    /// and stopped by its backend here when this replica leads, else by the leader's next round.
    /// </summary>
    public async Task<Job> CancelAsync(string jobId, Caller caller, CancellationToken cancellationToken)
    {
        var current = await GetVisibleAsync(jobId, caller, cancellationToken);
        var reason = $"cancelled by {caller.Name}";
        // Any replica may record the intent: a user's cancel is not fenced, only its execution is the leader's.
        var job = await ChangeAsync(current.Id, null, j => j.State switch
        {
            JobState.Queued => Transition(j, JobState.Cancelled, reason),
            JobState.Dispatching or JobState.Submitted or JobState.Running => Transition(j, JobState.Cancelling, $"cancel requested by {caller.Name}"),
            _ => null,
        }, cancellationToken) ?? current;
        if (job.State == JobState.Cancelling && job.Cluster is not null && leadership.Current is { } term)
        {
            await CarryOutCancelAsync(job, term, cancellationToken);
            job = await store.Jobs.GetAsync(job.Id, cancellationToken) ?? job;
        }
        return job;
    }

    /// <summary>
    /// Stops a Cancelling job on its cluster, once per term: the leader's round calls it for every
    /// cancel recorded by another replica (or by a leader that died before carrying it out).
    /// </summary>
    public Task CarryOutCancelAsync(Job job, LeaderTerm term, CancellationToken cancellationToken) =>
        _cancels.CarryOutAsync(job, term, cancellationToken);

    /// <summary>Forgets the cancels of jobs that have ended, so the record stays as small as the Cancelling set.</summary>
    public void ForgetCancels(IReadOnlySet<string> stillCancelling) => _cancels.Forget(stillCancelling);

    /// <summary>The job, if it exists and the caller may see it; otherwise a 404 (never a hint that it exists).</summary>
    public async Task<Job> GetVisibleAsync(string jobId, Caller caller, CancellationToken cancellationToken)
    {
        var job = JobId.IsWellFormed(jobId) ? await store.Jobs.GetAsync(jobId, cancellationToken) : null;
        if (job is null || !caller.CanSee(job.Owner))
        {
            throw new NotFoundException("Job", jobId);
        }
        return job;
    }

    private (Job, JobEvent?) Transition(Job job, JobState to, string reason) => _writer.Transition(job, to, reason);

    private Task<Job?> ChangeAsync(string jobId, LeaseFence? fence, Func<Job, (Job Job, JobEvent? Event)?> change, CancellationToken cancellationToken) =>
        _writer.ChangeAsync(jobId, fence, change, cancellationToken);
}
