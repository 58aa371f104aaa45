using Microsoft.Extensions.Logging;

namespace Gantry.Backends.Kubernetes;

/// <summary>
/// The backend's background loops: one informer per kind following Gantry's resources, the
/// cluster monitor, and the Trainer runtimes' watch once the cluster serves TrainJobs. Started
/// once, on first use; stopped when the backend is disposed.
/// </summary>
internal sealed class InformerLoops(
    k8s.IKubernetes client,
    KubernetesBackendOptions options,
    JobStatusReporter reporter,
    JobTracker tracker,
    ClusterMonitor monitor,
    RuntimeCatalog runtimes,
    RecoverySignal recovery,
    ILoggerFactory loggers,
    TimeProvider time) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _startLock = new();
    private List<Task> _loops = [];
    private bool _started;

    /// <summary>Starts the loops, once (never for a passive backend).</summary>
    public void Start()
    {
        lock (_startLock)
        {
            if (_started || options.Passive)
            {
                return;
            }
            _started = true;
            var settings = new InformerSettings(options.WatchTimeout, options.Resync, options.InitialBackoff, options.MaxBackoff);
            var informerLogger = loggers.CreateLogger<CustomResourceInformer>();
            var instruments = new WatchInstruments(options.Meters, options.ClusterName);
            _loops = Workloads.All
                .Select(w => new CustomResourceInformer(client, w, reporter, tracker.Tick, settings, recovery, instruments, time, informerLogger))
                .Select(i => Task.Run(() => i.RunAsync(_stopping.Token)))
                .Append(Task.Run(() => monitor.RunAsync(_stopping.Token)))
                .Append(Task.Run(() => WatchRuntimesAsync(settings, instruments, informerLogger, _stopping.Token)))
                .ToList();
        }
    }

    /// <summary>
    /// Lists and watches the cluster's Trainer runtimes once it serves TrainJobs (checked at each
    /// capacity refresh), so a cluster without Trainer never sees a failing runtime watch.
    /// </summary>
    private async Task WatchRuntimesAsync(InformerSettings settings, WatchInstruments instruments, ILogger<CustomResourceInformer> logger, CancellationToken cancellationToken)
    {
        try
        {
            while (!monitor.Status.Kinds.Contains("TrainJob"))
            {
                await Task.Delay(options.Health.RefreshInterval, time, cancellationToken);
            }
            await Task.WhenAll(new[] { RuntimeWorkload.Cluster, RuntimeWorkload.Namespaced }
                .Select(w => new CustomResourceInformer(client, w, runtimes, tracker.Tick, settings, recovery, instruments, time, logger))
                .Select(i => i.RunAsync(cancellationToken)));
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Stops the loops and waits for them to end.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await Task.WhenAll(_loops);
        }
        catch (OperationCanceledException)
        {
        }
        _stopping.Dispose();
    }
}
