using System.Collections.Frozen;
using System.Text.Json.Nodes;
using Gantry.Core.Clusters;
using Gantry.Core.Schemas;
using k8s;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Gantry.Backends.Kubernetes;

/// <summary>
/// Watches over one cluster: every interval it lists nodes and non-terminated pods (free capacity
/// per node) and, less often, the installed CRDs (which kinds run there, and their schemas for
/// submission-time validation). Each refresh goes through a Polly pipeline (a timeout per try,
/// exponential back-off between tries); when every try of one refresh fails, that is the failure
/// threshold reached in a row and the cluster is unhealthy until a refresh succeeds again.
/// </summary>
internal sealed partial class ClusterMonitor
{
    private const string PodsNotTerminated = "status.phase!=Succeeded,status.phase!=Failed";

    private readonly IKubernetes _client;
    private readonly HealthSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _pipeline;
    private readonly RecoverySignal _recovery;
    private volatile ClusterStatus _status = ClusterStatus.Unknown;
    private FrozenDictionary<string, SchemaNode> _schemas = FrozenDictionary<string, SchemaNode>.Empty;
    private readonly Dictionary<string, string> _definitionVersions = new(StringComparer.Ordinal);
    private DateTimeOffset _nextDefinitions = DateTimeOffset.MinValue;

    public ClusterMonitor(IKubernetes client, HealthSettings settings, RecoverySignal recovery, TimeProvider time, ILogger logger)
    {
        _client = client;
        _recovery = recovery;
        _settings = settings;
        _time = time;
        _logger = logger;
        var pipeline = new ResiliencePipelineBuilder { TimeProvider = time };
        // A threshold of 1 means no retry at all (Polly's retry wants at least one).
        if (settings.FailureThreshold > 1)
        {
            pipeline.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = settings.FailureThreshold - 1,
                BackoffType = DelayBackoffType.Exponential,
                Delay = settings.RetryDelay,
                // Anything but our own stopping is a failed probe, a client-side timeout included.
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is not null && !args.Context.CancellationToken.IsCancellationRequested),
                OnRetry = args =>
                {
                    LogProbeRetry(args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds, Describe(args.Outcome.Exception));
                    return ValueTask.CompletedTask;
                },
            });
        }
        _pipeline = pipeline.AddTimeout(settings.ProbeTimeout).Build();
    }

    public ClusterStatus Status => _status;

    /// <summary>
    /// Which Trainer API the cluster's TrainJob CRD serves, told by its fields as the reference
    /// advises: <c>runtimePatches</c> came with v2.2, <c>podTemplateOverrides</c> with v2.1 (gone in
    /// v2.2), <c>podSpecOverrides</c> was v2.0's. Null without the CRD.
    /// </summary>
    public string? TrainerApi { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await _pipeline.ExecuteAsync(RefreshAsync, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                MarkUnhealthy(ex);
            }
            try
            {
                await Task.Delay(_settings.RefreshInterval, _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Checks a manifest against the schema of its kind's CRD on this cluster; null when the cluster's CRD is not known.</summary>
    public IReadOnlyList<SchemaCause>? Validate(Workload workload, JsonObject manifest) =>
        _schemas.TryGetValue(workload.Kind, out var schema)
            ? CustomResourceAdmission.Admit(schema, (JsonObject)manifest.DeepClone())
            : null;

    private async ValueTask RefreshAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (now >= _nextDefinitions || _schemas.Count == 0)
        {
            await ReadDefinitionsAsync(cancellationToken);
            _nextDefinitions = now + _settings.DefinitionsInterval;
        }
        var nodes = await _client.CoreV1.ListNodeAsync(cancellationToken: cancellationToken);
        var pods = await _client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: PodsNotTerminated, cancellationToken: cancellationToken);
        var (capacity, free, perNode, bound) = CapacityCalculator.Compute(nodes.Items, pods.Items);
        // Built-in kinds have no CRD to find: every API server runs them.
        var kinds = _schemas.Keys.Concat(Workloads.All.Where(w => w.BuiltIn).Select(w => w.Kind)).ToHashSet(StringComparer.Ordinal);
        var recovered = !_status.Healthy && _status != ClusterStatus.Unknown;
        _status = new ClusterStatus(true, capacity, free, kinds,
            $"{perNode.Count} schedulable node(s), {pods.Items.Count} pod(s) not terminated")
        {
            Nodes = perNode,
            BoundPods = bound,
        };
        if (recovered)
        {
            LogHealthy();
            _recovery.Recovered();
        }
    }

    /// <summary>Which of Gantry's kinds have their CRD installed, with the schema of the version Gantry uses (parsed again only when the CRD changed).</summary>
    private async Task ReadDefinitionsAsync(CancellationToken cancellationToken)
    {
        var definitions = await _client.ApiextensionsV1.ListCustomResourceDefinitionAsync(cancellationToken: cancellationToken);
        var schemas = new Dictionary<string, SchemaNode>(StringComparer.Ordinal);
        foreach (var workload in Workloads.All.Where(w => !w.BuiltIn))
        {
            var name = $"{workload.Resource.Plural}.{workload.Resource.Group}";
            var found = definitions.Items.FirstOrDefault(d => d.Metadata.Name == name);
            if (found is null)
            {
                continue;
            }
            if (_definitionVersions.GetValueOrDefault(workload.Kind) == found.Metadata.ResourceVersion && _schemas.TryGetValue(workload.Kind, out var known))
            {
                schemas[workload.Kind] = known;
                continue;
            }
            var definition = CustomResourceDefinition.Parse(JsonNode.Parse(KubernetesJson.Serialize(found))!.AsObject());
            if (definition.Version(workload.Resource.Version) is { Served: true } version)
            {
                // A served version without a schema accepts anything: the kind runs, nothing to check.
                schemas[workload.Kind] = version.Schema ?? SchemaNode.Parse(new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true });
                _definitionVersions[workload.Kind] = found.Metadata.ResourceVersion ?? "";
            }
        }
        _schemas = schemas.ToFrozenDictionary(StringComparer.Ordinal);
        TrainerApi = _schemas.TryGetValue("TrainJob", out var trainJob) && trainJob.Properties?.GetValueOrDefault("spec")?.Properties is { } spec
            ? spec.ContainsKey("runtimePatches") ? "v2.2+" : spec.ContainsKey("podTemplateOverrides") ? "v2.1" : "v2.0"
            : null;
    }

    private void MarkUnhealthy(Exception exception)
    {
        var now = _time.GetUtcNow();
        var previous = _status;
        var since = previous.Healthy || previous.UnhealthySince is null ? now : previous.UnhealthySince.Value;
        var problem = Describe(exception);
        if (previous.Healthy || previous.UnhealthySince is null)
        {
            LogUnhealthy(_settings.FailureThreshold, problem);
        }
        // Capacity as last seen is kept for explanations; an unhealthy cluster gets no placements anyway.
        _status = previous with
        {
            Healthy = false,
            UnhealthySince = since,
            Message = $"API server not answering since {since:u}: {problem}",
        };
    }

    private static string Describe(Exception? exception) => exception switch
    {
        null => "",
        TimeoutRejectedException => "no answer within the probe timeout",
        _ => KubernetesErrors.Describe(exception),
    };

    [LoggerMessage(2160, LogLevel.Warning, "Cluster probe failed (try {Attempt}), retrying in {DelayMs:F0} ms: {Problem}")]
    private partial void LogProbeRetry(int attempt, double delayMs, string problem);

    [LoggerMessage(2161, LogLevel.Error, "Cluster marked unhealthy after {Failures} failed probes in a row: {Problem}")]
    private partial void LogUnhealthy(int failures, string problem);

    [LoggerMessage(2162, LogLevel.Information, "Cluster answers again: marked healthy")]
    private partial void LogHealthy();
}
