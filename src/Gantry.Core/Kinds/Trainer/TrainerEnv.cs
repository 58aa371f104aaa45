using System.Globalization;
using System.Text.Json.Nodes;

namespace Gantry.Core.Kinds.Trainer;

/// <summary>
/// The environment the Trainer's framework plugins put in container <c>node</c> of trainer pod
/// <c>index</c> (trainer reference §4). <paramref name="Master"/> is where rank 0 listens:
/// <c>&lt;tj&gt;-node-0-0.&lt;tj&gt;</c> on a cluster, 127.0.0.1 locally; <paramref name="Port"/> is 29500 on a
/// cluster, a reserved port locally.
/// </summary>
public sealed record TrainerEnv(string Master, int Port)
{
    public const int ContainerPort = 29500;

    /// <summary>The upstream master address of a TrainJob: pod node-0-0 through the JobSet's headless Service.</summary>
    public static TrainerEnv InCluster(string trainJob) => new($"{trainJob}-node-0-0.{trainJob}", ContainerPort);

    /// <summary>Variables for trainer pod <paramref name="index"/>; empty for PlainML and MPI (whose hostfile is not emulated here).</summary>
    public IReadOnlyList<(string Name, string Value)> For(ResolvedTrainJob job, JsonObject manifest, int index)
    {
        var trainer = manifest["spec"]?["trainer"] as JsonObject;
        var nodes = job.NumNodes.ToString(CultureInfo.InvariantCulture);
        var rank = index.ToString(CultureInfo.InvariantCulture);
        var port = Port.ToString(CultureInfo.InvariantCulture);
        switch (job.Policy.Framework)
        {
            // The plugin injects PET_* only when the TrainJob has a trainer block (reference §4, quirk).
            case MlPolicy.Torch when trainer is not null:
                return
                [
                    ("PET_NNODES", nodes),
                    ("PET_NPROC_PER_NODE", ProcPerNode(job, trainer)),
                    ("PET_NODE_RANK", rank),
                    ("PET_MASTER_ADDR", Master),
                    ("PET_MASTER_PORT", port),
                ];
            case MlPolicy.Jax:
                return [("JAX_NUM_PROCESSES", nodes), ("JAX_PROCESS_ID", rank), ("JAX_COORDINATOR_ADDRESS", $"{Master}:{port}")];
            case MlPolicy.XGBoost:
                var gpus = Math.Max(job.Trainer?.PerPod.Gpu ?? 0, 1);
                return
                [
                    ("DMLC_TRACKER_URI", Master), ("DMLC_TRACKER_PORT", port), ("DMLC_TASK_ID", rank),
                    ("DMLC_NUM_WORKER", (job.NumNodes * gpus).ToString(CultureInfo.InvariantCulture)),
                ];
            default:
                return [];
        }
    }

    /// <summary>
    /// <c>PET_NPROC_PER_NODE</c>: the TrainJob's numProcPerNode; else <c>auto</c> when the per-node resources
    /// (the TrainJob's resourcesPerNode if set, else the runtime container's, never the merge) ask for a GPU;
    /// else the CPU count rounded up (requests, then limits), at least 1; <c>auto</c> with no cpu at all.
    /// </summary>
    public static string ProcPerNode(ResolvedTrainJob job, JsonObject? trainer)
    {
        if (TrainJobResolver.Int(trainer?["numProcPerNode"]) is { } n)
        {
            return n.ToString(CultureInfo.InvariantCulture);
        }
        var resources = trainer?["resourcesPerNode"] as JsonObject ?? RuntimeResources(job.Runtime);
        foreach (var part in new[] { "requests", "limits" })
        {
            foreach (var (name, value) in resources?[part] as JsonObject ?? [])
            {
                if (name.Contains("gpu", StringComparison.Ordinal) && Resources.Quantity.TryParse(value?.ToString() ?? "", out var amount, out _) && amount > 0)
                {
                    return "auto";
                }
            }
        }
        foreach (var part in new[] { "requests", "limits" })
        {
            if (resources?[part]?["cpu"]?.ToString() is { } cpu && Resources.Quantity.TryParseCpuMillis(cpu, out var millis, out _))
            {
                return Math.Max(1, (millis + 999) / 1000).ToString(CultureInfo.InvariantCulture);
            }
        }
        return "auto";
    }

    private static JsonObject? RuntimeResources(TrainingRuntime runtime)
    {
        var trainerJob = (runtime.Spec["template"]?["spec"]?["replicatedJobs"] as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(j => j["template"]?["metadata"]?["labels"]?[TrainJobResolver.AncestorLabel]?.ToString() == TrainerStep.TrainerAncestor);
        return trainerJob?["template"]?["spec"]?["template"]?["spec"] is JsonObject podSpec
            ? TrainJobResolver.Container(podSpec, "node")?["resources"] as JsonObject
            : null;
    }
}
