using System.Collections.Concurrent;
using Gantry.Backends;
using Gantry.Backends.Kubernetes;
using Gantry.Core.Clusters;
using Gantry.Server.Jobs;
using Gantry.Server.Options;
using Gantry.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gantry.Server.Clusters;

/// <summary>
/// One <see cref="KubernetesBackend"/> per registered Kubernetes cluster, made on first use from
/// the cluster's decrypted connection, given back the cluster's active jobs as it is made, and
/// disposed when the cluster is removed or the gateway stops.
/// </summary>
public sealed partial class KubernetesBackends(
    IServiceProvider services,
    IGantryStore store,
    IOptions<GantryOptions> options,
    Replication.Leadership leadership,
    ILoggerFactory loggers,
    TimeProvider time) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<KubernetesBackend>>> _backends = new(StringComparer.Ordinal);
    private readonly ILogger _logger = loggers.CreateLogger<KubernetesBackends>();

    /// <summary>The cluster's backend, made (and its jobs resumed) if it is not yet; a failure is not remembered, the next call tries again.</summary>
    public async Task<KubernetesBackend> GetAsync(string cluster, CancellationToken cancellationToken)
    {
        var lazy = _backends.GetOrAdd(cluster, name => new Lazy<Task<KubernetesBackend>>(() => CreateAsync(name)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (lazy.Value.IsFaulted)
        {
            _backends.TryRemove(new KeyValuePair<string, Lazy<Task<KubernetesBackend>>>(cluster, lazy));
            throw;
        }
    }

    /// <summary>The cluster's backend if it has been made and is ready, without waiting.</summary>
    public KubernetesBackend? Find(string cluster) =>
        _backends.TryGetValue(cluster, out var lazy) && lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully ? lazy.Value.Result : null;

    /// <summary>Disposes the backends of clusters that are no longer registered.</summary>
    public async Task RetainAsync(IReadOnlySet<string> registered)
    {
        foreach (var name in _backends.Keys.Where(n => !registered.Contains(n)).ToList())
        {
            if (_backends.TryRemove(name, out var lazy))
            {
                LogRemoved(name);
                await DisposeAsync(lazy);
            }
        }
    }

    /// <summary>
    /// Disposes a backend taken out of the map. One still connecting is awaited first: dropping it
    /// unawaited would leave its watches and health probes running with nobody to stop them.
    /// </summary>
    private static async Task DisposeAsync(Lazy<Task<KubernetesBackend>> lazy)
    {
        if (!lazy.IsValueCreated)
        {
            return;
        }
        KubernetesBackend backend;
        try
        {
            backend = await lazy.Value;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A backend that never connected has nothing to stop.
            return;
        }
        await backend.DisposeAsync();
    }

    private async Task<KubernetesBackend> CreateAsync(string cluster)
    {
        // Building the client may run an exec credential plugin, synchronously: keep it off the caller's thread.
        var connections = services.GetService<IClusterConnections>()
            ?? throw new DispatchException("Cluster connections are not available in this gateway.", retryable: false);
        var connection = await connections.GetAsync(cluster, CancellationToken.None);
        // Reports count only while the job is still placed on this cluster: after a failover, a late
        // word from the lost cluster must not move the job's new attempt.
        var sink = new ClusterUpdateSink(cluster, services.GetRequiredService<JobLifecycle>());
        var directory = new StoreJobDirectory(store);
        // The sandbox marks its clusters with this label when it registers them (SandboxFleet).
        var sandbox = (await store.Clusters.GetAsync(cluster, CancellationToken.None))?.Labels.GetValueOrDefault(SandboxLabel) == "true";
        var passive = !leadership.IsLeader;
        var backend = await Task.Run(() => KubernetesBackend.Connect(connection, BackendOptions(cluster, sandbox, passive), sink, directory, loggers, time));
        if (passive)
        {
            LogCreatedPassive(cluster);
            return backend;
        }
        var active = (await store.Jobs.ActiveAsync(CancellationToken.None)).Where(j => j.Cluster == cluster).ToList();
        await backend.ResumeAsync(active, CancellationToken.None);
        LogCreated(cluster, active.Count);
        return backend;
    }

    /// <summary>The label <c>gantry serve --sandbox-clusters</c> puts on its in-memory clusters.</summary>
    public const string SandboxLabel = "gantry.io/sandbox";

    /// <summary>Drops every backend (a leader's term began or ended): the next use makes them again, following jobs only on the leader.</summary>
    public async Task ResetAsync()
    {
        foreach (var name in _backends.Keys.ToList())
        {
            if (_backends.TryRemove(name, out var lazy))
            {
                await DisposeAsync(lazy);
            }
        }
    }

    private KubernetesBackendOptions BackendOptions(string cluster, bool sandbox, bool passive)
    {
        var gantry = options.Value;
        var k8s = gantry.Kubernetes;
        return new KubernetesBackendOptions
        {
            ClusterName = cluster,
            InMemorySandbox = sandbox,
            Passive = passive,
            GatewayUrl = gantry.PublicUrl,
            Meters = services.GetService<System.Diagnostics.Metrics.IMeterFactory>(),
            CrashPoints = services.GetRequiredService<Gantry.Backends.CrashPoints>(),
            WatchTimeout = TimeSpan.FromSeconds(k8s.WatchTimeoutSeconds),
            Resync = TimeSpan.FromSeconds(k8s.ResyncSeconds),
            RequestTimeout = TimeSpan.FromSeconds(k8s.RequestTimeoutSeconds),
            Health = new HealthSettings
            {
                FailureThreshold = k8s.FailureThreshold,
                RefreshInterval = TimeSpan.FromMilliseconds(k8s.RefreshMilliseconds),
                ProbeTimeout = TimeSpan.FromSeconds(k8s.ProbeTimeoutSeconds),
            },
        };
    }

    public async ValueTask DisposeAsync()
    {
        await RetainAsync(new HashSet<string>());
    }

    [LoggerMessage(1300, LogLevel.Information, "Kubernetes backend for cluster {Cluster} ready; {Count} active job(s) taken back")]
    private partial void LogCreated(string cluster, int count);

    [LoggerMessage(1302, LogLevel.Debug, "Kubernetes backend for cluster {Cluster} made for reading only: this replica does not lead")]
    private partial void LogCreatedPassive(string cluster);

    [LoggerMessage(1301, LogLevel.Information, "Cluster {Cluster} is no longer registered; its Kubernetes backend stops")]
    private partial void LogRemoved(string cluster);
}
