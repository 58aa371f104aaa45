using System.Text.Json.Nodes;
using Gantry.Core.Schemas;
using Gantry.Core.Clusters;
using Gantry.Core.Jobs;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Logging;

namespace Gantry.Backends.Kubernetes;

/// <summary>
/// Runs jobs on one Kubernetes cluster through the operators it runs: a job is a custom resource
/// (SparkApplication, PyTorchJob, JAXJob, TrainJob), or a built-in batch/v1 Job, under a name derived from its id, so a retried or
/// resumed dispatch finds its earlier attempt instead of making a second copy. One informer per
/// kind follows Gantry's resources and reports their state; cancel deletes the resource.
/// </summary>
public sealed partial class KubernetesBackend
    : IClusterBackend, ICapacitySource, ILogSource, IManifestValidator, ISparkUiSource, IAbandonJobs, IPendingReasons, IAsyncDisposable
{
    private readonly IKubernetes _client;
    private readonly KubernetesBackendOptions _options;
    private readonly IJobUpdateSink _sink;
    private readonly ILogger<KubernetesBackend> _logger;
    private readonly JobTracker _tracker = new();
    private readonly JobLocations _locations;
    private readonly JobStatusReporter _reporter;
    private readonly ResourceDispatcher _dispatcher;
    private readonly PodLogReader _logs;
    private readonly PendingPodReasons _pending;
    private readonly StaleCopies _staleCopies;
    private readonly ClusterMonitor _monitor;
    private readonly RuntimeCatalog _runtimes = new();
    private readonly InformerLoops _loops;
    private readonly HttpMessageInvoker? _uiInvoker;
    private int _disposed;

    public KubernetesBackend(
        IKubernetes client, string defaultNamespace, KubernetesBackendOptions options, IJobUpdateSink sink, IJobDirectory directory, ILoggerFactory loggers, TimeProvider time)
    {
        _client = client;
        _options = options;
        _sink = sink;
        _logger = loggers.CreateLogger<KubernetesBackend>();
        _locations = new JobLocations(_tracker, defaultNamespace);
        var recovery = new RecoverySignal();
        _staleCopies = new StaleCopies(client, _tracker, directory, options.ClusterName, loggers.CreateLogger<StaleCopies>());
        _reporter = new JobStatusReporter(
            _tracker, sink, client.BaseUri, DeleteResourceAsync, new FailureDetails(client), _staleCopies, options.InMemorySandbox,
            loggers.CreateLogger<JobStatusReporter>());
        _dispatcher = new ResourceDispatcher(
            client, defaultNamespace, options, sink, _tracker, new TokenSecrets(client), _logger);
        _logs = new PodLogReader(client, time);
        _pending = new PendingPodReasons(client);
        _monitor = new ClusterMonitor(client, options.Health, recovery, time, loggers.CreateLogger<ClusterMonitor>());
        _loops = new InformerLoops(client, options, _reporter, _tracker, _monitor, _runtimes, recovery, loggers, time);
        _uiInvoker = client is k8s.Kubernetes concrete ? new HttpMessageInvoker(new ApiServerProxyHandler(concrete)) : null;
    }

    /// <summary>A backend for the cluster <paramref name="connection"/> reaches; an exec plugin in it runs here, synchronously.</summary>
    public static KubernetesBackend Connect(
        ClusterConnection connection, KubernetesBackendOptions options, IJobUpdateSink sink, IJobDirectory directory, ILoggerFactory loggers, TimeProvider? time = null)
    {
        var configuration = KubernetesConfigurationFactory.Create(connection, options.RequestTimeout);
        return new KubernetesBackend(new k8s.Kubernetes(configuration), connection.Namespace, options, sink, directory, loggers, time ?? TimeProvider.System);
    }

    /// <summary>The kinds this backend can run when the cluster has their operator.</summary>
    public static IReadOnlyList<string> Kinds { get; } = Workloads.All.Select(w => w.Kind).ToList();

    /// <summary>Starts the informers, once; every entry point calls it, so the backend follows its jobs from first use.</summary>
    public void Start() => _loops.Start();

    public async Task DispatchAsync(Job job, DispatchContext context, CancellationToken cancellationToken)
    {
        var workload = Workloads.Find(job.Kind)
            ?? throw new DispatchException($"Kubernetes clusters run {string.Join(", ", Kinds)} jobs, not {job.Kind}.", retryable: false);
        Start();
        await _dispatcher.DispatchAsync(job, workload, context, cancellationToken);
    }

    public async Task CancelAsync(Job job, CancellationToken cancellationToken)
    {
        if (Workloads.Find(job.Kind) is not { } workload)
        {
            await _sink.ReportAsync(new JobUpdate(job.Id, JobState.Cancelled, "cancelled; nothing ran on the cluster"), cancellationToken);
            return;
        }
        Start();
        var tracked = _locations.Follow(job, workload);
        tracked.CancelRequested = true;
        await DeleteResourceAsync(tracked, cancellationToken);
    }

    /// <summary>
    /// Deletes the job's resource with foreground propagation: the API server keeps it (with a
    /// deletionTimestamp) until its pods are gone, so "Cancelled", reported when the resource is
    /// gone, also means its capacity is free. A failed delete is retried by the next resync.
    /// </summary>
    private async Task DeleteResourceAsync(TrackedJob job, CancellationToken cancellationToken)
    {
        var location = job.Location!;
        var r = job.Workload.Resource;
        try
        {
            try
            {
                await _client.CustomObjects.DeleteNamespacedCustomObjectAsync(
                    r.Group, r.Version, location.Namespace, r.Plural, location.Name, propagationPolicy: "Foreground", cancellationToken: cancellationToken);
                await _client.CustomObjects.GetNamespacedCustomObjectAsync(r.Group, r.Version, location.Namespace, r.Plural, location.Name, cancellationToken);
                // Still there while its dependents go: the watch's DELETED event ends the job.
                return;
            }
            catch (HttpOperationException ex) when (KubernetesErrors.IsNotFound(ex))
            {
                // Gone (or never created).
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogCancelDeleteFailed(job.JobId, KubernetesErrors.Describe(ex));
            return;
        }
        await _reporter.ResourceGoneAsync(job, cancellationToken);
    }

    public async Task ResumeAsync(IReadOnlyList<Job> active, CancellationToken cancellationToken)
    {
        foreach (var job in active)
        {
            if (Workloads.Find(job.Kind) is not { } workload)
            {
                await _sink.ReportAsync(new JobUpdate(job.Id, job.State == JobState.Cancelling ? JobState.Cancelled : JobState.Failed,
                    $"Kubernetes clusters do not run {job.Kind} jobs"), cancellationToken);
                continue;
            }
            // The informers' first list re-attaches each job to its resource, adopts a dispatch that
            // got as far as creating it, and settles the rest (requeued, cancelled, or failed).
            var tracked = _locations.Follow(job, workload);
            tracked.ResumedWhileDispatching = job.State == JobState.Dispatching;
            tracked.CancelRequested = job.State == JobState.Cancelling;
        }
        LogResumed(active.Count, _options.ClusterName);
        Start();
        await Task.CompletedTask;
    }

    /// <summary>
    /// Stops following the job (after its gate, so a report under way finishes first and none
    /// follows) and deletes its resource if the cluster answers; if it does not, the first full list
    /// after it answers again finds the copy stale and deletes it.
    /// </summary>
    public async Task AbandonAsync(Job job, CancellationToken cancellationToken)
    {
        if (Workloads.Find(job.Kind) is not { } workload)
        {
            return;
        }
        Start();
        var location = _locations.Recorded(job, workload);
        if (_tracker.Find(job.Id) is { } tracked)
        {
            await tracked.Gate.WaitAsync(cancellationToken);
            try
            {
                location = tracked.Location ?? location;
                _tracker.Forget(job.Id);
            }
            finally
            {
                tracked.Gate.Release();
            }
        }
        LogAbandoned(job.Id, _options.ClusterName);
        // The cluster is most likely still away: one quick try, the sweep does the rest.
        using var quick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        quick.CancelAfter(_options.Health.ProbeTimeout);
        await _staleCopies.DeleteAsync(job.Id, workload, location, quick.Token);
    }

    /// <summary>What the cluster says of the job's waiting pods (the scheduler's words), for "why is my job not running?".</summary>
    public Task<IReadOnlyList<string>> PendingReasonsAsync(Job job, CancellationToken cancellationToken)
    {
        if (Workloads.Find(job.Kind) is not { } workload)
        {
            return Task.FromResult<IReadOnlyList<string>>([]);
        }
        return _pending.DescribeAsync(workload, _locations.Find(job, workload), cancellationToken);
    }

    public Task CopyLogAsync(Job job, LogRequest request, Stream output, CancellationToken cancellationToken)
    {
        var workload = Workloads.Find(job.Kind) ?? throw new UnknownReplicaException(request.Replica ?? "", []);
        return _logs.CopyAsync(job, workload, _locations.Find(job, workload), request, () => !job.IsTerminal && _tracker.Find(job.Id) is not null, output, cancellationToken);
    }

    /// <summary>
    /// The driver UI through the API server's service proxy, at the URL the running application
    /// reported; only one on this cluster's own API server (the URL is built from it).
    /// </summary>
    public SparkUiUpstream? FindSparkUi(Job job) =>
        _uiInvoker is not null
        && job is { State: JobState.Running or JobState.Cancelling, SparkUiUrl: { } url }
        && Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && _client.BaseUri.IsBaseOf(uri)
            ? new SparkUiUpstream(uri, _uiInvoker)
            : null;

    /// <summary>Capacity (per node), health and the kinds whose operators are installed, as last observed.</summary>
    public ClusterStatus Status(Cluster cluster)
    {
        Start();
        var status = _monitor.Status;
        return status.Kinds.Contains("TrainJob") ? status with { Runtimes = _runtimes.All, TrainerApi = _monitor.TrainerApi } : status;
    }

    /// <summary>
    /// The schema failures of <paramref name="manifest"/> against its kind's CRD on this cluster
    /// (empty: it passes), or null when this cluster has no such CRD or has not been read yet.
    /// </summary>
    public IReadOnlyList<SchemaCause>? Validate(JsonObject manifest)
    {
        Start();
        return manifest["kind"] is JsonValue kind && kind.TryGetValue<string>(out var name) && Workloads.Find(name) is { } workload
            ? _monitor.Validate(workload, manifest)
            : null;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await _loops.DisposeAsync();
        _uiInvoker?.Dispose();
        _client.Dispose();
    }
}
