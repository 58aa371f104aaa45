using Gantry.Backends;
using Gantry.Backends.Local;
using Gantry.Core.Clusters;
using Gantry.Core.Jobs;
using Gantry.Core.Queues;
using Gantry.Server.Auth;
using Gantry.Server.Clusters;
using Gantry.Server.Options;
using Gantry.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gantry.Server.Hosting;

/// <summary>
/// What must hold before the gateway takes work: the default queue and the local cluster
/// exist, an admin exists, and every job that was active when the gateway last stopped has
/// been handed back to its backend (re-attached, or ended with the reason).
/// </summary>
public sealed partial class StartupService(
    IGantryStore store,
    AdminBootstrap admin,
    BackendRegistry backends,
    IJobUpdateSink sink,
    Readiness readiness,
    IOptions<GantryOptions> options,
    DataDirectory dataDirectory,
    LocalBackend local,
    TimeProvider time,
    ILogger<StartupService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var path in dataDirectory.Tightened)
        {
            LogTightened(path);
        }
        LogIsolation(local.Isolation, options.Value.Local.Isolation);
        var now = time.GetUtcNow();
        await store.Queues.EnsureAsync(new Queue { Name = Queue.DefaultName, CreatedAt = now, UpdatedAt = now }, cancellationToken);
        await store.Clusters.EnsureAsync(new Cluster { Name = Cluster.LocalName, Type = ClusterTypes.Local, CreatedAt = now }, cancellationToken);
        await admin.EnsureAsync(options.Value.DataDir, cancellationToken);
        await ReconcileAsync(cancellationToken);
        readiness.MarkStarted();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var active = await store.Jobs.ActiveAsync(cancellationToken);
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

    [LoggerMessage(1000, LogLevel.Information, "Resuming {Count} active job(s) on cluster {Cluster}")]
    private partial void LogResuming(int count, string cluster);

    [LoggerMessage(1001, LogLevel.Warning, "Cluster {Cluster} could not be connected at start-up; its jobs are taken back once it is: {Problem}")]
    private partial void LogConnectFailed(string cluster, string problem);

    [LoggerMessage(1002, LogLevel.Warning, "The data dir was readable by others: made owner-only {Path}")]
    private partial void LogTightened(string path);

    [LoggerMessage(1003, LogLevel.Information, "Local jobs are isolated by '{Isolation}' (Gantry:Local:Isolation is '{Configured}')")]
    private partial void LogIsolation(LocalIsolation isolation, string configured);
}
