using System.Net;
using System.Text.Json;
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
    private readonly string _namespace;
    private readonly KubernetesBackendOptions _options;
    private readonly IJobUpdateSink _sink;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger<KubernetesBackend> _logger;
    private readonly TimeProvider _time;
    private readonly JobTracker _tracker = new();
    private readonly JobStatusReporter _reporter;
    private readonly TokenSecrets _secrets;
    private readonly PodLogReader _logs;
    private readonly PendingPodReasons _pending;
    private readonly StaleCopies _staleCopies;
    private readonly ClusterMonitor _monitor;
    private readonly RuntimeCatalog _runtimes = new();
    private readonly RecoverySignal _recovery = new();
    private readonly HttpMessageInvoker? _uiInvoker;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _startLock = new();
    private List<Task> _loops = [];
    private bool _started;
    private int _disposed;

    public KubernetesBackend(
        IKubernetes client, string defaultNamespace, KubernetesBackendOptions options, IJobUpdateSink sink, IJobDirectory directory, ILoggerFactory loggers, TimeProvider time)
    {
        _client = client;
        _namespace = defaultNamespace;
        _options = options;
        _sink = sink;
        _loggers = loggers;
        _logger = loggers.CreateLogger<KubernetesBackend>();
        _time = time;
        _staleCopies = new StaleCopies(client, _tracker, directory, options.ClusterName, loggers.CreateLogger<StaleCopies>());
        _reporter = new JobStatusReporter(
            _tracker, sink, client.BaseUri, DeleteResourceAsync, new FailureDetails(client), _staleCopies, options.InMemorySandbox,
            loggers.CreateLogger<JobStatusReporter>());
        _secrets = new TokenSecrets(client);
        _logs = new PodLogReader(client, time);
        _pending = new PendingPodReasons(client);
        _monitor = new ClusterMonitor(client, options.Health, _recovery, time, loggers.CreateLogger<ClusterMonitor>());
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
    public void Start()
    {
        lock (_startLock)
        {
            if (_started || _options.Passive)
            {
                return;
            }
            _started = true;
            var settings = new InformerSettings(_options.WatchTimeout, _options.Resync, _options.InitialBackoff, _options.MaxBackoff);
            var informerLogger = _loggers.CreateLogger<CustomResourceInformer>();
            var instruments = new WatchInstruments(_options.Meters, _options.ClusterName);
            _loops = Workloads.All
                .Select(w => new CustomResourceInformer(_client, w, _reporter, _tracker.Tick, settings, _recovery, instruments, _time, informerLogger))
                .Select(i => Task.Run(() => i.RunAsync(_stopping.Token)))
                .Append(Task.Run(() => _monitor.RunAsync(_stopping.Token)))
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
            while (!_monitor.Status.Kinds.Contains("TrainJob"))
            {
                await Task.Delay(_options.Health.RefreshInterval, _time, cancellationToken);
            }
            await Task.WhenAll(new[] { RuntimeWorkload.Cluster, RuntimeWorkload.Namespaced }
                .Select(w => new CustomResourceInformer(_client, w, _runtimes, _tracker.Tick, settings, _recovery, instruments, _time, logger))
                .Select(i => i.RunAsync(cancellationToken)));
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async Task DispatchAsync(Job job, DispatchContext context, CancellationToken cancellationToken)
    {
        var workload = Workloads.Find(job.Kind)
            ?? throw new DispatchException($"Kubernetes clusters run {string.Join(", ", Kinds)} jobs, not {job.Kind}.", retryable: false);
        Start();
        var ns = NamespaceChoice.Choose(job, context, _namespace, _options.ClusterName);
        var name = GantryLabels.ResourceName(job.Id);
        var tracked = _tracker.Track(job.Id, workload);
        // Created from now on: until the create answers, no list may count it as missing.
        tracked.ExpectedSince = long.MaxValue;
        tracked.ResumedWhileDispatching = false;
        tracked.Location = new ResourceLocation(workload.Kind, ns, name, "");
        try
        {
            await WriteSecretAsync(ns, job.Id, workload, context.JobToken, cancellationToken);
            var (resource, adopted) = await CreateOrAdoptAsync(job, workload, ns, name, context.UiProxyBase, cancellationToken);
            _options.CrashPoints.Reach(CrashPoints.AfterCreate);
            tracked.ExpectedSince = _tracker.Tick();
            await OwnSecretAsync(ns, job.Id, workload, name, resource, cancellationToken);
            var what = $"{workload.Kind} {ns}/{name} on cluster {_options.ClusterName}";
            LogDispatched(job.Id, what, adopted);
            await _sink.ReportAsync(new JobUpdate(
                job.Id,
                JobState.Submitted,
                adopted ? $"adopted the existing {what}" : $"created {what}; waiting for {workload.Operator}",
                new ResourceLocation(workload.Kind, ns, name, "").ToJson()), cancellationToken);
        }
        catch (DispatchException)
        {
            if (tracked.ExpectedSince == long.MaxValue)
            {
                _tracker.Forget(job.Id);
            }
            throw;
        }
    }

    private async Task WriteSecretAsync(string ns, string jobId, Workload workload, string token, CancellationToken cancellationToken)
    {
        try
        {
            await _secrets.WriteAsync(ns, jobId, token, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The Secret is the first thing written in the namespace: a refusal here is the namespace's, not the Secret's.
            if (NamespaceChoice.IsRefusal(ex))
            {
                throw NamespaceChoice.Refused(_options.ClusterName, workload, ns, ex);
            }
            throw KubernetesErrors.ForDispatch($"writing the job's token Secret in namespace {ns} on cluster {_options.ClusterName} failed", ex, cancellationToken);
        }
    }

    /// <summary>Creates the resource; an AlreadyExists for one carrying this job's label is our earlier attempt, adopted.</summary>
    private async Task<(JsonElement Resource, bool Adopted)> CreateOrAdoptAsync(
        Job job, Workload workload, string ns, string name, string? uiProxyBase, CancellationToken cancellationToken)
    {
        var r = workload.Resource;
        var body = CustomResourceBuilder.Build(job, workload, ns, _options.GatewayUrl, uiProxyBase);
        try
        {
            try
            {
                return ((JsonElement)await _client.CustomObjects.CreateNamespacedCustomObjectAsync(
                    body, r.Group, r.Version, ns, r.Plural, fieldManager: "gantry", cancellationToken: cancellationToken), false);
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
            {
                var existing = (JsonElement)await _client.CustomObjects.GetNamespacedCustomObjectAsync(r.Group, r.Version, ns, r.Plural, name, cancellationToken);
                if (JobStatusReporter.JobIdOf(existing) != job.Id)
                {
                    throw new DispatchException(
                        $"a {workload.Kind} named {ns}/{name} already exists on cluster {_options.ClusterName} and is not this job's " +
                        $"(no {GantryLabels.JobId}={job.Id} label); Gantry will not take it over", retryable: false);
                }
                if (existing.GetProperty("metadata").TryGetProperty("deletionTimestamp", out var deleting) && deleting.ValueKind == JsonValueKind.String)
                {
                    // A stale copy from before a failover, on its way out: adopting it would end the job with it.
                    throw new DispatchException(
                        $"an earlier copy of this job, {ns}/{name} on cluster {_options.ClusterName}, is still being deleted", retryable: true);
                }
                return (existing, true);
            }
        }
        catch (Exception ex) when (ex is not DispatchException && !cancellationToken.IsCancellationRequested)
        {
            if (!KubernetesErrors.IsTransient(ex, cancellationToken))
            {
                await DeleteSecretQuietlyAsync(ns, job.Id);
            }
            if (NamespaceChoice.IsRefusal(ex))
            {
                throw NamespaceChoice.Refused(_options.ClusterName, workload, ns, ex);
            }
            throw KubernetesErrors.ForDispatch($"creating {workload.Kind} {ns}/{name} on cluster {_options.ClusterName} failed", ex, cancellationToken);
        }
    }

    /// <summary>Best effort: a Secret left without an owner outlives its job but harms nothing.</summary>
    private async Task OwnSecretAsync(string ns, string jobId, Workload workload, string name, JsonElement resource, CancellationToken cancellationToken)
    {
        try
        {
            var uid = resource.GetProperty("metadata").GetProperty("uid").GetString() ?? "";
            await _secrets.OwnAsync(ns, jobId, workload, name, uid, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogSecretOwnerFailed(jobId, KubernetesErrors.Describe(ex));
        }
    }

    private async Task DeleteSecretQuietlyAsync(string ns, string jobId)
    {
        try
        {
            await _secrets.DeleteAsync(ns, jobId, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogSecretOwnerFailed(jobId, KubernetesErrors.Describe(ex));
        }
    }

    public async Task CancelAsync(Job job, CancellationToken cancellationToken)
    {
        if (Workloads.Find(job.Kind) is not { } workload)
        {
            await _sink.ReportAsync(new JobUpdate(job.Id, JobState.Cancelled, "cancelled; nothing ran on the cluster"), cancellationToken);
            return;
        }
        Start();
        var tracked = Follow(job, workload);
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
            var tracked = Follow(job, workload);
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
        var location = ResourceLocation.FromJson(job.BackendState) ?? GuessedLocation(job, workload);
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
        var location = _tracker.Find(job.Id)?.Location
            ?? ResourceLocation.FromJson(job.BackendState)
            ?? GuessedLocation(job, workload);
        return _pending.DescribeAsync(workload, location, cancellationToken);
    }

    /// <summary>Tracks <paramref name="job"/> (already created, as far as the store knows) at the location it recorded.</summary>
    private TrackedJob Follow(Job job, Workload workload)
    {
        var tracked = _tracker.Track(job.Id, workload);
        tracked.Location ??= ResourceLocation.FromJson(job.BackendState) ?? GuessedLocation(job, workload);
        if (tracked.ExpectedSince == long.MaxValue && job.State != JobState.Queued)
        {
            tracked.ExpectedSince = _tracker.Tick();
        }
        return tracked;
    }

    /// <summary>
    /// Where the job's resource is when nothing recorded it (a dispatch cut short): the manifest's
    /// namespace or the cluster's, under Gantry's name. The informers find it by label anyway.
    /// </summary>
    private ResourceLocation GuessedLocation(Job job, Workload workload) =>
        new(workload.Kind, NamespaceChoice.Asked(job.Manifest) ?? _namespace, GantryLabels.ResourceName(job.Id));

    public Task CopyLogAsync(Job job, LogRequest request, Stream output, CancellationToken cancellationToken)
    {
        var workload = Workloads.Find(job.Kind) ?? throw new UnknownReplicaException(request.Replica ?? "", []);
        var location = _tracker.Find(job.Id)?.Location
            ?? ResourceLocation.FromJson(job.BackendState)
            ?? GuessedLocation(job, workload);
        return _logs.CopyAsync(job, workload, location, request, () => !job.IsTerminal && _tracker.Find(job.Id) is not null, output, cancellationToken);
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
        await _stopping.CancelAsync();
        try
        {
            await Task.WhenAll(_loops);
        }
        catch (OperationCanceledException)
        {
        }
        _stopping.Dispose();
        _uiInvoker?.Dispose();
        _client.Dispose();
    }
}
