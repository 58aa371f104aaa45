using Gantry.Backends;
using Gantry.Core.Jobs;
using Gantry.Core.Users;
using Gantry.Server.Clusters;
using Gantry.Server.Monitoring;
using Gantry.Server.Replication;
using Gantry.Server.SparkUi;
using Gantry.Storage;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Jobs;

/// <summary>
/// Creates a job's stored intent (Dispatching on a cluster) on that cluster through its backend,
/// with a fresh job token and the owner's share; a failure comes back as the report to make.
/// </summary>
/// <remarks>Logs with <see cref="JobLifecycle"/>'s logger: a dispatch is the life cycle's step.</remarks>
internal sealed partial class JobStarter(
    IGantryStore store,
    BackendRegistry backends,
    JobMetrics metrics,
    Leadership leadership,
    TimeProvider time,
    ILogger logger)
{
    /// <summary>
    /// Creates the stored intent on its cluster; on a failure, answers the report to make (a
    /// retryable failure queues the job again, any other fails it), else null.
    /// </summary>
    public async Task<JobUpdate?> StartOnClusterAsync(Job job, string cluster, CancellationToken cancellationToken)
    {
        var jobId = job.Id;
        try
        {
            var backend = await backends.ForClusterAsync(cluster, cancellationToken);
            // The intent is stored; a term that ended meanwhile leaves the create to the next leader,
            // whose take-over looks the job up on its cluster (a create here could race with its own).
            if (leadership.Current is null)
            {
                LogDispatchLeftToNextLeader(jobId, cluster);
                return null;
            }
            // On a cluster shared with the owner, their jobs go to the namespace the share gave them.
            var share = await store.Shares.GetAsync(cluster, job.Owner, cancellationToken);
            var context = new DispatchContext(await IssueJobTokenAsync(jobId, cancellationToken), share?.Namespace, SparkUiPaths.ProxyBase(jobId))
            {
                Owner = await store.Users.GetAsync(job.Owner, cancellationToken),
            };
            await backend.Runner.DispatchAsync(job, context, cancellationToken);
            metrics.Dispatched(job, cluster);
        }
        catch (DispatchException ex)
        {
            LogDispatchFailed(ex, jobId, cluster);
            metrics.DispatchFailed(job, cluster, ex.Retryable);
            var to = ex.Retryable ? JobState.Queued : JobState.Failed;
            return new JobUpdate(jobId, to, $"dispatch to {cluster} failed: {ex.Message}");
        }
        // A cancel that raced with the dispatch found nothing to stop: stop it now.
        var after = await store.Jobs.GetAsync(jobId, cancellationToken);
        if (after is { State: JobState.Cancelling or JobState.Cancelled })
        {
            var backend = await backends.ForClusterAsync(cluster, cancellationToken);
            await backend.Runner.CancelAsync(after, cancellationToken);
        }
        return null;
    }

    /// <summary>A fresh token for the job's own use (each dispatch replaces the last); only its hash is stored.</summary>
    private async Task<string> IssueJobTokenAsync(string jobId, CancellationToken cancellationToken)
    {
        var token = ApiToken.NewJobToken();
        await store.JobTokens.SetAsync(jobId, ApiToken.Hash(token), time.GetUtcNow(), cancellationToken);
        return token;
    }

    [LoggerMessage(1101, LogLevel.Warning, "Dispatch of job {JobId} to {Cluster} failed")]
    private partial void LogDispatchFailed(Exception exception, string jobId, string cluster);

    [LoggerMessage(1106, LogLevel.Information, "Job {JobId}: stored as dispatching to {Cluster}, but this replica stopped leading before creating it; the next leader's take-over does")]
    private partial void LogDispatchLeftToNextLeader(string jobId, string cluster);
}
