using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Core.Jobs;
using Gantry.Core.Kinds;
using k8s.Models;

namespace Gantry.Backends.Kubernetes;

/// <summary>
/// A Kubeflow Trainer runtime kind (ClusterTrainingRuntime, TrainingRuntime), watched through the
/// same informer as the job kinds but never dispatched: every object counts (no Gantry label), and
/// the job-side members are inert. <see cref="RuntimeCatalog"/> keeps what the informers see.
/// </summary>
internal sealed class RuntimeWorkload(string kind, string plural) : Workload
{
    public static RuntimeWorkload Cluster { get; } = new(Core.Kinds.Trainer.TrainingRuntime.ClusterKind, "clustertrainingruntimes");

    public static RuntimeWorkload Namespaced { get; } = new(Core.Kinds.Trainer.TrainingRuntime.NamespacedKind, "trainingruntimes");

    public override string Kind => kind;

    public override KubernetesResource Resource { get; } = new("trainer.kubeflow.org", "v1alpha1", plural);

    public override string Operator => "the Trainer controller";

    public override string? LabelSelector => null;

    public override ObservedStatus Observe(JsonElement resource, Uri server) => new(JobState.Submitted, "", "");

    public override void Prepare(JsonObject spec, IReadOnlyList<JsonObject> env, IReadOnlyDictionary<string, string> podLabels)
    {
    }

    public override IReadOnlyList<string> Replicas(JsonObject manifest) => [];

    public override string PodSelector(string name) => "";

    public override string? ReplicaOf(V1Pod pod) => null;

    public override string? ContainerOf(V1Pod pod) => null;
}
