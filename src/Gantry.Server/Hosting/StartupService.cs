using Gantry.Backends.Local;
using Gantry.Core.Clusters;
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
/// exist and an admin exists. Handing active jobs back to their backends is the leader's
/// (<see cref="Replication.LeaderTakeover"/>), at the start of each term.
/// </summary>
public sealed partial class StartupService(
    IGantryStore store,
    AdminBootstrap admin,
    Readiness readiness,
    IOptions<GantryOptions> options,
    DataDirectory dataDirectory,
    LocalBackend local,
    InClusterRegistration inCluster,
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
        // Before readiness and the first scheduling round: the cluster this pod runs in is there from the start.
        await inCluster.RegisterAsync(cancellationToken);
        await admin.EnsureAsync(options.Value.DataDir, cancellationToken);
        readiness.MarkStarted();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(1002, LogLevel.Warning, "The data dir was readable by others: made owner-only {Path}")]
    private partial void LogTightened(string path);

    [LoggerMessage(1003, LogLevel.Information, "Local jobs are isolated by '{Isolation}' (Gantry:Local:Isolation is '{Configured}')")]
    private partial void LogIsolation(LocalIsolation isolation, string configured);
}
