using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Core.Jobs;
using Gantry.Core.Kinds;
using k8s.Models;

namespace Gantry.Backends.Kubernetes;

/// <summary>
/// A Training Operator v1 job (PyTorchJob, JAXJob). Its status is a list of conditions; its pods
/// are <c>&lt;name&gt;-&lt;type&gt;-&lt;index&gt;</c> and do not inherit the job's labels, so the
/// job-id label goes into every replica template.
/// </summary>
internal sealed class TrainingJobWorkload(string kind, string plural, string replicaSpecsField, string container) : Workload
{
    // Phase order from the operator's own status rules: a later-listed condition never overrides an earlier one.
    private static readonly string[] ConditionOrder = ["Failed", "Succeeded", "Suspended", "Restarting", "Running", "Created"];

    public static TrainingJobWorkload PyTorch { get; } = new("PyTorchJob", "pytorchjobs", "pytorchReplicaSpecs", "pytorch");

    public static TrainingJobWorkload Jax { get; } = new("JAXJob", "jaxjobs", "jaxReplicaSpecs", "jax");

    public override string Kind => kind;

    public override KubernetesResource Resource { get; } = new("kubeflow.org", "v1", plural);

    public override string Operator => "the training operator";

    // "PyTorchJob x is failed because 1 Worker replica(s) failed." says which, not why.
    public override bool FailuresInPods => true;

    public override ObservedStatus Observe(JsonElement resource, Uri server)
    {
        var active = new Dictionary<string, string>(StringComparer.Ordinal);
        if (resource.TryGetProperty("status", out var status) && status.TryGetProperty("conditions", out var conditions)
            && conditions.ValueKind == JsonValueKind.Array)
        {
            foreach (var condition in conditions.EnumerateArray())
            {
                if (Text(condition, "type") is { } type && Text(condition, "status") == "True")
                {
                    active[type] = Text(condition, "message") ?? "";
                }
            }
        }
        var found = ConditionOrder.FirstOrDefault(active.ContainsKey);
        if (found is null)
        {
            return new(JobState.Submitted, "created; waiting for the training operator to pick it up", "");
        }
        var message = active[found].Length > 0 ? active[found] : $"{kind} condition {found}";
        var state = found switch
        {
            "Failed" => JobState.Failed,
            "Succeeded" => JobState.Succeeded,
            "Restarting" or "Running" => JobState.Running,
            _ => JobState.Submitted,
        };
        return new(state, message, found);
    }

    public override void Prepare(JsonObject spec, IReadOnlyList<JsonObject> env, IReadOnlyDictionary<string, string> podLabels)
    {
        if (spec[replicaSpecsField] is not JsonObject replicas)
        {
            return;
        }
        foreach (var (_, replica) in replicas)
        {
            if (replica is not JsonObject replicaSpec)
            {
                continue;
            }
            var template = ChildObject(replicaSpec, "template");
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
    }

    public override IReadOnlyList<string> Replicas(JsonObject manifest)
    {
        if (manifest["spec"]?[replicaSpecsField] is not JsonObject specs)
        {
            return [];
        }
        // Master first: with a Master, master-0 is rank 0 and its log is the job's.
        return specs
            .OrderBy(s => string.Equals(s.Key, "Master", StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .ThenBy(s => s.Key, StringComparer.Ordinal)
            .SelectMany(s => Enumerable.Range(0, Math.Max(Count(s.Value?["replicas"], 1), 0))
                .Select(i => $"{s.Key.ToLowerInvariant()}-{i}"))
            .ToList();
    }

    public override string PodSelector(string name) => $"training.kubeflow.org/job-name={name}";

    public override string? ReplicaOf(V1Pod pod) =>
        Label(pod, "training.kubeflow.org/replica-type") is { } type && Label(pod, "training.kubeflow.org/replica-index") is { } index
            ? $"{type}-{index}"
            : null;

    public override string? ContainerOf(V1Pod pod)
    {
        var containers = pod.Spec?.Containers ?? [];
        return containers.FirstOrDefault(c => c.Name == container)?.Name ?? containers.FirstOrDefault()?.Name;
    }
}
