using System.Text.Json.Nodes;
using Gantry.Core.Kinds.Trainer;

namespace Gantry.Server.Api;

/// <summary>One Kubeflow Trainer runtime a cluster has, as <c>GET /clusters/{name}/runtimes</c> lists it.</summary>
/// <param name="Namespace">A TrainingRuntime's namespace; null for a ClusterTrainingRuntime.</param>
/// <param name="Policy">The mlPolicy's framework plugin: torch, mpi, jax, xgboost, flux or plainml.</param>
/// <param name="Steps">The replicated jobs, in order (dataset-initializer, model-initializer, node, launcher...).</param>
public sealed record RuntimeDto(
    string Name, string Kind, string? Namespace, string? Framework, string Policy, int NumNodes, string? Image, IReadOnlyList<string> Steps)
{
    public static RuntimeDto From(TrainingRuntime runtime)
    {
        var policy = MlPolicy.Of(runtime.Spec);
        var jobs = (runtime.Spec["template"]?["spec"]?["replicatedJobs"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var trainer = jobs.FirstOrDefault(j => j["template"]?["metadata"]?["labels"]?[TrainJobResolver.AncestorLabel]?.ToString() == TrainerStep.TrainerAncestor);
        var image = trainer?["template"]?["spec"]?["template"]?["spec"] is JsonObject podSpec ? TrainJobResolver.Container(podSpec, "node")?["image"]?.ToString() : null;
        return new RuntimeDto(runtime.Name, runtime.Kind, runtime.Namespace, runtime.Framework, policy.Framework, policy.NumNodes ?? 1, image,
            jobs.Select(j => j["name"]?.ToString() ?? "").ToList());
    }
}

/// <summary>A cluster's runtimes and which Trainer API its TrainJob CRD serves (null when it has none).</summary>
public sealed record RuntimeListDto(string Cluster, string? TrainerApi, IReadOnlyList<RuntimeDto> Items);
