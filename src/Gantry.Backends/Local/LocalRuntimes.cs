using System.Text.Json.Nodes;
using Gantry.Core.Kinds.Trainer;

namespace Gantry.Backends.Local;

/// <summary>
/// The ClusterTrainingRuntimes the local cluster knows: Gantry's own definitions under the names
/// Kubeflow Trainer ships, for the shapes that run as local processes (torch, JAX, XGBoost: one
/// process per node, ranks from the node index). MPI runtimes (deepspeed, mlx: sshd and mpirun
/// across pods) and torchtune (model and dataset downloads into a volume, GPUs) are not here.
/// </summary>
public static class LocalRuntimes
{
    public static IReadOnlyList<TrainingRuntime> All { get; } =
    [
        Runtime("torch-distributed", "torch", MlPolicy.Torch),
        Runtime("jax-distributed", "jax", MlPolicy.Jax),
        Runtime("xgboost-distributed", "xgboost", MlPolicy.XGBoost),
    ];

    private static TrainingRuntime Runtime(string name, string framework, string policy)
    {
        var spec = new JsonObject
        {
            ["mlPolicy"] = new JsonObject { ["numNodes"] = 1, [policy] = new JsonObject() },
            ["template"] = new JsonObject
            {
                ["spec"] = new JsonObject
                {
                    ["replicatedJobs"] = new JsonArray(new JsonObject
                    {
                        ["name"] = "node",
                        ["template"] = new JsonObject
                        {
                            ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [TrainJobResolver.AncestorLabel] = TrainerStep.TrainerAncestor } },
                            ["spec"] = new JsonObject
                            {
                                ["template"] = new JsonObject
                                {
                                    ["spec"] = new JsonObject
                                    {
                                        // No image runs here: the TrainJob's command runs on the gateway's machine.
                                        ["containers"] = new JsonArray(new JsonObject { ["name"] = "node", ["image"] = "local" }),
                                    },
                                },
                            },
                        },
                    }),
                },
            },
        };
        return new TrainingRuntime(TrainingRuntime.ClusterKind, null, name, spec,
            new Dictionary<string, string>(StringComparer.Ordinal) { [TrainingRuntime.FrameworkLabel] = framework, ["gantry.io/built-in"] = "local" });
    }
}
