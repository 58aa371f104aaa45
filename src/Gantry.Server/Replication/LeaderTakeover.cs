using Gantry.Backends;
using Gantry.Core.Clusters;
using Gantry.Core.Jobs;
using Gantry.Server.Clusters;
using Gantry.Storage;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Replication;

/// <summary>
/// What a new leader does before its first round, and what it drops when its term ends. At the
/// start every job that was active under the last leader (or before a restart) is handed back to
/// its backend: a Kubernetes backend relists its cluster, adopts a dispatch whose custom resource
/// exists, and re-creates (under the same name) one that never landed. At the end the backends
/// are dropped, so this replica's informers stop and a later term relists afresh.
/// </summary>
public sealed partial class LeaderTakeover(
    IGantryStore store,
    BackendRegistry backends,
    KubernetesBackends kubernetes,
    IJobUpdateSink sink,
    ILogger<LeaderTakeover> logger)
{
    public async Task BeginAsync(LeaderTerm term, CancellationToken cancellationToken)
    {
        // Backends made while this replica did not lead are passive (no informers): make them anew.
        await kubernetes.ResetAsync();
        var active = await store.Jobs.ActiveAsync(cancellationToken);
        LogTakingOver(term.Epoch, active.Count);
        foreach (var group in active.GroupBy(j => j.Cluster ?? "", StringComparer.Ordinal))
        {
            var cluster = group.Key.Length == 0 ? null : await store.Clusters.GetAsync(group.Key, cancellationToken);
            if (cluster is null)
            {
                foreach (var job in group)
                {
                    await sink.ReportAsync(new JobUpdate(job.Id, Ended(job), $"cluster '{group.Key}' is no longer registered"), cancellationToken);
                }
                continue;
            }
            LogResuming(group.Count(), cluster.Name);
            if (cluster.Type == ClusterTypes.Kubernetes)
            {
                await ConnectAsync(cluster, cancellationToken);
                continue;
            }
            await (await backends.ForAsync(cluster, cancellationToken)).Runner.ResumeAsync(group.ToList(), cancellationToken);
        }
    }

    public async Task EndAsync(LeaderTerm term)
    {
        LogEnding(term.Epoch);
        await kubernetes.ResetAsync();
    }

    /// <summary>
    /// A Kubernetes backend takes back its cluster's active jobs as it is made. A cluster that
    /// cannot be reached now is retried by the scheduler's next look at the clusters; its jobs
    /// stay as they are meanwhile.
    /// </summary>
    private async Task ConnectAsync(Cluster cluster, CancellationToken cancellationToken)
    {
        try
        {
            await backends.ForAsync(cluster, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogConnectFailed(cluster.Name, ex.Message);
        }
    }

    private static JobState Ended(Job job) => job.State == JobState.Cancelling ? JobState.Cancelled : JobState.Failed;

    [LoggerMessage(1510, LogLevel.Information, "Taking over as leader (epoch {Epoch}): {Count} active job(s) to follow")]
    private partial void LogTakingOver(long epoch, int count);

    [LoggerMessage(1511, LogLevel.Information, "Resuming {Count} active job(s) on cluster {Cluster}")]
    private partial void LogResuming(int count, string cluster);

    [LoggerMessage(1512, LogLevel.Warning, "Cluster {Cluster} could not be connected at take-over; its jobs are taken back once it is: {Problem}")]
    private partial void LogConnectFailed(string cluster, string problem);

    [LoggerMessage(1513, LogLevel.Information, "Term {Epoch} over: this replica's informers stop")]
    private partial void LogEnding(long epoch);
}
