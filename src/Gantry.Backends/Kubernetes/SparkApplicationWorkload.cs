using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Core.Jobs;
using Gantry.Core.Kinds;
using k8s.Models;

namespace Gantry.Backends.Kubernetes;

/// <summary>
/// The Spark operator's SparkApplication. Its status is <c>applicationState.state</c> with an
/// <c>errorMessage</c>; it copies the application's labels onto driver and executor pods.
/// </summary>
internal sealed class SparkApplicationWorkload : Workload
{
    public const string Driver = "driver";
    private const string ExecutorPrefix = "executor-";
    private const int DefaultUiPort = 4040;
    private const string ProxyBaseKey = "spark.ui.proxyBase";

    public override string Kind => "SparkApplication";

    public override KubernetesResource Resource { get; } = new("sparkoperator.k8s.io", "v1beta2", "sparkapplications");

    public override string Operator => "the Spark operator";

    public override ObservedStatus Observe(JsonElement resource, Uri server)
    {
        var state = Text(resource, "status", "applicationState", "state") ?? "";
        var error = Text(resource, "status", "applicationState", "errorMessage");
        string Say(string fallback) => string.IsNullOrEmpty(error) ? fallback : error;
        return state switch
        {
            "" => new(JobState.Submitted, "created; waiting for the Spark operator to submit it", state),
            "SUBMITTED" => new(JobState.Submitted, "submitted by the Spark operator; the driver pod is pending", state),
            // A rerun (spec changed or retry), or suspended by someone: not running, not over.
            "PENDING_RERUN" or "INVALIDATING" or "SUSPENDING" or "SUSPENDED" or "RESUMING" =>
                new(JobState.Submitted, Say($"Spark operator state {state}"), state),
            "RUNNING" => new(JobState.Running, "the driver is running", state, UiUrl(resource, server)),
            // Transient on the way to COMPLETED or FAILED (or a retry).
            "SUCCEEDING" or "FAILING" or "UNKNOWN" => new(JobState.Running, Say($"Spark operator state {state}"), state),
            "COMPLETED" => new(JobState.Succeeded, "the Spark application completed", state),
            "FAILED" or "SUBMISSION_FAILED" => new(JobState.Failed, Say($"the Spark operator reports {state}"), state),
            _ => new(JobState.Running, Say($"Spark operator state {state}"), state),
        };
    }

    /// <summary>The API server's service proxy to the driver's UI service.</summary>
    private static string UiUrl(JsonElement resource, Uri server)
    {
        var ns = Text(resource, "metadata", "namespace") ?? "default";
        var name = Text(resource, "metadata", "name") ?? "";
        var service = Text(resource, "status", "driverInfo", "webUIServiceName") ?? name + "-ui-svc";
        var port = resource.TryGetProperty("status", out var status)
            && status.TryGetProperty("driverInfo", out var driver)
            && driver.TryGetProperty("webUIPort", out var p) && p.ValueKind == JsonValueKind.Number
            ? p.GetInt32()
            : DefaultUiPort;
        return $"{server.ToString().TrimEnd('/')}/api/v1/namespaces/{ns}/services/{service}:{port.ToString(CultureInfo.InvariantCulture)}/proxy/";
    }

    public override void Prepare(JsonObject spec, IReadOnlyList<JsonObject> env, IReadOnlyDictionary<string, string> podLabels)
    {
        // The operator copies the application's own labels to its pods, so podLabels need no help here.
        SetEnv(ChildObject(spec, "driver"), env);
        SetEnv(ChildObject(spec, "executor"), env);
    }

    /// <summary>
    /// Gantry's value wins over the manifest's: the UI is only reachable through the gateway's
    /// proxy, and Spark serves links and redirects under this prefix.
    /// </summary>
    public override void SetUiProxyBase(JsonObject spec, string proxyBase) =>
        ChildObject(spec, "sparkConf")[ProxyBaseKey] = proxyBase;

    public override IReadOnlyList<string> Replicas(JsonObject manifest)
    {
        var spec = manifest["spec"];
        var executors = spec?["dynamicAllocation"]?["enabled"] is JsonValue enabled && enabled.TryGetValue<bool>(out var on) && on
            ? Count(spec["dynamicAllocation"]?["maxExecutors"], Count(spec?["executor"]?["instances"], 1))
            : Count(spec?["executor"]?["instances"], 1);
        // Spark numbers executors from 1.
        return [Driver, .. Enumerable.Range(1, Math.Max(executors, 0)).Select(i => ExecutorPrefix + i)];
    }

    public override string PodSelector(string name) => $"sparkoperator.k8s.io/app-name={name}";

    public override string? ReplicaOf(V1Pod pod) => Label(pod, "spark-role") switch
    {
        Driver => Driver,
        "executor" when Label(pod, "spark-exec-id") is { } id => ExecutorPrefix + id,
        _ => null,
    };

    public override string? ContainerOf(V1Pod pod)
    {
        var wanted = ReplicaOf(pod) == Driver ? "spark-kubernetes-driver" : "spark-kubernetes-executor";
        var containers = pod.Spec?.Containers ?? [];
        return containers.FirstOrDefault(c => c.Name == wanted)?.Name ?? containers.FirstOrDefault()?.Name;
    }
}
