using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Core.Kinds;
using Gantry.Core.Kinds.Trainer;
using k8s.Models;

namespace Gantry.Backends.Kubernetes;

/// <summary>
/// A Kubeflow Trainer v2 <c>TrainJob</c>. Its state comes from Complete/Failed conditions (copied
/// from the JobSet with their reasons), else from <c>jobsStatus</c>; its pods belong to the JobSet
/// of the same name, <c>&lt;tj&gt;-&lt;rjob&gt;-0-&lt;index&gt;-&lt;rand&gt;</c>, and do not carry the
/// TrainJob's labels, so they are found by the JobSet's labels. Gantry's variables go in
/// <c>spec.trainer.env</c>, which reaches container <c>node</c> of the trainer pods.
/// </summary>
internal sealed class TrainJobWorkload : Workload
{
    public const string JobSetLabel = "jobset.sigs.k8s.io/jobset-name";
    private const string ReplicatedJobLabel = "jobset.sigs.k8s.io/replicatedjob-name";
    private const string JobIndexLabel = "jobset.sigs.k8s.io/job-index";
    private const string CompletionIndexLabel = "batch.kubernetes.io/job-completion-index";

    public override string Kind => "TrainJob";

    public override KubernetesResource Resource { get; } = new("trainer.kubeflow.org", "v1alpha1", "trainjobs");

    public override string Operator => "the Trainer controller";

    // Suspended and resumed are both Submitted to Gantry: each is recorded as a note.
    public override bool NotesWithinState => true;

    // JobSet's message names the first failed Job; the pod says why.
    public override bool FailuresInPods => true;

    public override ObservedStatus Observe(JsonElement resource, Uri server)
    {
        var status = resource.TryGetProperty("status", out var s) ? s : default;
        var (state, message, phase) = TrainJobConditions.Map(status);
        return new(state, message, phase);
    }

    public override void Prepare(JsonObject spec, IReadOnlyList<JsonObject> env, IReadOnlyDictionary<string, string> podLabels)
    {
        // Pods are counted by their JobSet's name (CapacityCalculator), so podLabels need no patch.
        var trainer = ChildObject(spec, "trainer");
        TrainJobResolver.UpsertEnv(trainer, new JsonArray([.. env.Select(e => (JsonNode)e.DeepClone())]));
    }

    /// <summary>The trainer nodes the TrainJob asks for: node-0-0 first (rank 0), as the Trainer SDK's "node-0".</summary>
    public override IReadOnlyList<string> Replicas(JsonObject manifest) =>
        Enumerable.Range(0, Math.Max(Count(manifest["spec"]?["trainer"]?["numNodes"], 1), 1)).Select(i => $"node-0-{i}").ToList();

    public override string PodSelector(string name) => $"{JobSetLabel}={name}";

    public override string? ReplicaOf(V1Pod pod) =>
        Label(pod, ReplicatedJobLabel) is { } job && Label(pod, JobIndexLabel) is { } index && Label(pod, CompletionIndexLabel) is { } completion
            ? $"{job}-{index}-{completion}"
            : null;

    public override string? ContainerOf(V1Pod pod)
    {
        var containers = pod.Spec?.Containers ?? [];
        var step = Label(pod, ReplicatedJobLabel);
        return containers.FirstOrDefault(c => c.Name == "node")?.Name
            ?? containers.FirstOrDefault(c => c.Name == step)?.Name
            ?? containers.FirstOrDefault()?.Name;
    }
}
