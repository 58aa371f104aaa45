using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Core.Jobs;
using Gantry.Core.Kinds;
using k8s.Models;

namespace Gantry.Backends.Kubernetes;

/// <summary>
/// A Kubernetes <c>batch/v1</c> Job, run by the cluster's own Job controller. It ends with a
/// Complete or Failed condition; since Kubernetes 1.31 SuccessCriteriaMet or FailureTarget comes
/// first while the pods terminate, and the job stays Running until the final one. Its pods,
/// <c>&lt;job&gt;-&lt;5 random&gt;</c>, carry the template's labels (so the job-id label goes into the
/// template) and the controller's <c>job-name</c>; replica <c>pod-i</c> is completion index i of an
/// Indexed Job, else the i-th pod the Job created.
/// </summary>
internal sealed class BatchJobWorkload : Workload
{
    public const string JobNameLabel = "job-name";
    public const string CompletionIndexLabel = "batch.kubernetes.io/job-completion-index";
    private const string ReplicaPrefix = "pod-";

    public override string Kind => BatchJobKind.KindName;

    public override KubernetesResource Resource { get; } = new("batch", "v1", "jobs");

    public override bool BuiltIn => true;

    public override string Operator => "the Job controller";

    // "Job has reached the specified backoff limit" says that the pods failed, not why.
    public override bool FailuresInPods => true;

    /// <summary>A Job another controller made (a JobSet's, beneath a TrainJob) is that job's, not a dispatched one.</summary>
    public override bool IsDispatched(JsonElement resource) =>
        !(resource.TryGetProperty("metadata", out var metadata) && metadata.TryGetProperty("ownerReferences", out var owners)
          && owners.ValueKind == JsonValueKind.Array
          && owners.EnumerateArray().Any(o => o.TryGetProperty("controller", out var c) && c.ValueKind == JsonValueKind.True));

    public override ObservedStatus Observe(JsonElement resource, Uri server)
    {
        var status = resource.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Object ? s : default;
        var conditions = new Dictionary<string, (string Reason, string Message)>(StringComparer.Ordinal);
        if (status.ValueKind == JsonValueKind.Object && status.TryGetProperty("conditions", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var condition in list.EnumerateArray())
            {
                if (Text(condition, "type") is { } type && Text(condition, "status") == "True")
                {
                    conditions[type] = (Text(condition, "reason") ?? "", Text(condition, "message") ?? "");
                }
            }
        }
        if (conditions.TryGetValue("Failed", out var failed))
        {
            return new(JobState.Failed, Describe(failed, "the Job failed"), "Failed");
        }
        if (conditions.TryGetValue("Complete", out var complete))
        {
            return new(JobState.Succeeded, Describe(complete, "the Job completed"), "Complete");
        }
        var counts = Counts(status);
        if (conditions.TryGetValue("FailureTarget", out var target))
        {
            return new(JobState.Running, $"{Describe(target, "failing")}; waiting for its pods to terminate ({counts})", "FailureTarget");
        }
        if (conditions.TryGetValue("SuccessCriteriaMet", out var met))
        {
            return new(JobState.Running, $"{Describe(met, "succeeding")}; waiting for its pods to terminate ({counts})", "SuccessCriteriaMet");
        }
        if (conditions.TryGetValue("Suspended", out var suspended))
        {
            return new(JobState.Submitted, Describe(suspended, "the Job is suspended"), "Suspended");
        }
        // Ready pods (reported since 1.24) mean running; a cluster that does not count them shows active ones.
        var started = Number(status, "ready") > 0 || Number(status, "succeeded") > 0 || Number(status, "failed") > 0
            || (!Has(status, "ready") && Number(status, "active") > 0);
        return started
            ? new(JobState.Running, $"running: {counts}", "Running")
            : new(JobState.Submitted, Number(status, "active") > 0 ? $"created; its pods are starting ({counts})" : "created; waiting for the Job controller to start its pods", "");
    }

    public override void Prepare(JsonObject spec, IReadOnlyList<JsonObject> env, IReadOnlyDictionary<string, string> podLabels)
    {
        var template = ChildObject(spec, "template");
        var labels = ChildObject(ChildObject(template, "metadata"), "labels");
        foreach (var (key, value) in podLabels)
        {
            labels[key] = value;
        }
        if (ChildObject(template, "spec")["containers"] is JsonArray containers)
        {
            foreach (var c in containers.OfType<JsonObject>())
            {
                SetEnv(c, env);
            }
        }
    }

    /// <summary><c>pod-0</c> first: an Indexed Job's completions, else the pods the Job runs (completions, or parallelism for a work queue).</summary>
    public override IReadOnlyList<string> Replicas(JsonObject manifest)
    {
        var spec = manifest["spec"] as JsonObject ?? [];
        var completions = spec["completions"] is JsonValue c && c.TryGetValue<int>(out var n) ? n : (int?)null;
        var count = completions ?? Count(spec["parallelism"], 1);
        return Enumerable.Range(0, Math.Max(count, 0)).Select(i => ReplicaPrefix + i.ToString(CultureInfo.InvariantCulture)).ToList();
    }

    public override string PodSelector(string name) => $"{JobNameLabel}={name}";

    public override string? ReplicaOf(V1Pod pod) =>
        Label(pod, CompletionIndexLabel) is { } index ? ReplicaPrefix + index : null;

    /// <summary>By completion index when the pods have one; otherwise the i-th pod by creation time (then name), replacements counted.</summary>
    public override V1Pod? PodOf(IReadOnlyList<V1Pod> pods, string replica)
    {
        if (pods.Any(p => Label(p, CompletionIndexLabel) is not null))
        {
            return base.PodOf(pods, replica);
        }
        if (!replica.StartsWith(ReplicaPrefix, StringComparison.Ordinal)
            || !int.TryParse(replica.AsSpan(ReplicaPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var position))
        {
            return null;
        }
        var ordered = pods.OrderBy(p => p.Metadata.CreationTimestamp).ThenBy(p => p.Metadata.Name, StringComparer.Ordinal).ToList();
        return position < ordered.Count ? ordered[position] : null;
    }

    public override string? ContainerOf(V1Pod pod) => pod.Spec?.Containers?.FirstOrDefault()?.Name;

    private static string Describe((string Reason, string Message) condition, string fallback)
    {
        var message = condition.Message.Length > 0 ? condition.Message : fallback;
        return condition.Reason.Length > 0 ? $"{condition.Reason}: {message}" : message;
    }

    private static string Counts(JsonElement status) => string.Create(CultureInfo.InvariantCulture,
        $"{Number(status, "active")} active, {Number(status, "ready")} ready, {Number(status, "succeeded")} succeeded, {Number(status, "failed")} failed");

    private static bool Has(JsonElement status, string field) =>
        status.ValueKind == JsonValueKind.Object && status.TryGetProperty(field, out _);

    private static long Number(JsonElement status, string field) =>
        status.ValueKind == JsonValueKind.Object && status.TryGetProperty(field, out var value) && value.TryGetInt64(out var n) ? n : 0;
}
