using Gantry.Core.Failover;
using Gantry.Server.Clusters;
using Gantry.Server.Hosting;
using Gantry.Server.Jobs;
using Gantry.Server.Options;
using Gantry.Server.Replication;
using Gantry.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gantry.Server.Scheduling;

/// <summary>
/// Moves work off clusters that stopped answering. A cluster is lost once it has been unhealthy
/// for <c>Gantry:Kubernetes:FailoverGraceSeconds</c> (a blip moves nothing); then each of its
/// active jobs is given up there and sent back to the queue, or failed, as <see cref="LostCluster"/>
/// decides. The scheduler places them again on the clusters that answer.
/// </summary>
public sealed partial class ClusterFailover(
    IGantryStore store,
    BackendRegistry backends,
    JobLifecycle lifecycle,
    Readiness readiness,
    IOptions<GantryOptions> options,
    Leadership leadership,
    TimeProvider time,
    ILogger<ClusterFailover> logger) : LeaderService(leadership, readiness)
{
    protected override async Task RunTermAsync(LeaderTerm term, CancellationToken acting)
    {
        var stoppingToken = acting;
        var interval = TimeSpan.FromMilliseconds(options.Value.Scheduler.IntervalMilliseconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogCheckFailed(ex);
            }
            try
            {
                await Task.Delay(interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    internal async Task CheckAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var grace = TimeSpan.FromSeconds(options.Value.Kubernetes.FailoverGraceSeconds);
        var lost = new Dictionary<string, (DateTimeOffset Since, ClusterBackend Backend)>(StringComparer.Ordinal);
        foreach (var cluster in await store.Clusters.ListAsync(cancellationToken))
        {
            // Only clusters already connected can have been lost; their status is as last observed.
            if (backends.Find(cluster) is { } backend
                && backend.Capacity.Status(cluster).UnhealthySince is { } since
                && LostCluster.IsLost(since, now, grace))
            {
                lost[cluster.Name] = (since, backend);
            }
        }
        if (lost.Count == 0)
        {
            return;
        }
        foreach (var job in await store.Jobs.ActiveAsync(cancellationToken))
        {
            if (job.Cluster is { } name && lost.TryGetValue(name, out var cluster))
            {
                await lifecycle.FailOverAsync(job, name, cluster.Since, cluster.Backend.Abandon, cancellationToken);
            }
        }
    }

    [LoggerMessage(1210, LogLevel.Error, "Failover check failed; the next check tries again")]
    private partial void LogCheckFailed(Exception exception);
}
