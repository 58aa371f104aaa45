using System.Text.Json.Nodes;
using Gantry.Core.Kinds.Trainer;

namespace Gantry.Sandbox.Simulation;

/// <summary>
/// ClusterTrainingRuntimes under the names Kubeflow Trainer ships, in the shapes that matter to
/// Gantry (trainer reference §5): Gantry's own definitions, not upstream's files. Each is one
/// mlPolicy and its replicated jobs: torch and JAX a <c>node</c> job; XGBoost likewise; deepspeed
/// and mlx MPI (sshd <c>node</c> plus a <c>launcher</c> that waits for it, success when the launcher
/// succeeds); torchtune two initializers, then <c>node</c> with two GPUs declared as limits only.
/// </summary>
internal static class SandboxRuntimes
{
    public static IReadOnlyList<string> Names { get; } =
        ["torch-distributed", "deepspeed-distributed", "mlx-distributed", "jax-distributed", "xgboost-distributed", "torchtune-llama3.2-1b"];

    public static IEnumerable<JsonObject> For(IReadOnlyList<string>? names) => (names ?? Names).Select(Build);

    private static JsonObject Build(string name) => name switch
    {
        "torch-distributed" => Runtime(name, "torch", new JsonObject { ["torch"] = new JsonObject() }, [Trainer("pytorch/pytorch")]),
        "jax-distributed" => Runtime(name, "jax", new JsonObject { ["jax"] = new JsonObject() }, [Trainer("nvcr.io/nvidia/jax")]),
        "xgboost-distributed" => Runtime(name, "xgboost", new JsonObject { ["xgboost"] = new JsonObject() }, [Trainer("ghcr.io/kubeflow/trainer/xgboost-runtime")]),
        "deepspeed-distributed" or "mlx-distributed" => Mpi(name, name.Split('-')[0]),
        "torchtune-llama3.2-1b" => TorchTune(name),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, $"not a shipped runtime name; one of {string.Join(", ", Names)}"),
    };

    private static JsonObject Mpi(string name, string framework)
    {
        var image = $"ghcr.io/kubeflow/trainer/{framework}-runtime";
        var sshd = Job("node", null, Container("node", image, ["/usr/sbin/sshd", "-De"]));
        var launcher = Job("launcher", TrainerStep.TrainerAncestor, Container("node", image, null));
        launcher["dependsOn"] = new JsonArray(new JsonObject { ["name"] = "node", ["status"] = "Ready" });
        var policy = new JsonObject
        {
            ["mpi"] = new JsonObject { ["numProcPerNode"] = 1, ["mpiImplementation"] = "OpenMPI", ["sshAuthMountPath"] = "/home/mpiuser/.ssh", ["runLauncherAsNode"] = true },
        };
        var runtime = Runtime(name, framework, policy, [sshd, launcher]);
        runtime["spec"]!["template"]!["spec"]!["successPolicy"] = new JsonObject { ["operator"] = "All", ["targetReplicatedJobs"] = new JsonArray("launcher") };
        return runtime;
    }

    private static JsonObject TorchTune(string name)
    {
        JsonObject Initializer(string step, string uri)
        {
            var container = Container(step, $"ghcr.io/kubeflow/trainer/{step}", null);
            container["env"] = new JsonArray(new JsonObject { ["name"] = "STORAGE_URI", ["value"] = uri });
            container["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "initializer", ["mountPath"] = "/workspace" });
            return Job(step, step, container);
        }
        var node = Container("node", "ghcr.io/kubeflow/trainer/torchtune-trainer", ["tune", "run"]);
        node["resources"] = new JsonObject { ["limits"] = new JsonObject { ["nvidia.com/gpu"] = 2 } };
        node["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "initializer", ["mountPath"] = "/workspace" });
        var trainer = Job("node", TrainerStep.TrainerAncestor, node);
        trainer["dependsOn"] = new JsonArray(
            new JsonObject { ["name"] = "dataset-initializer", ["status"] = "Complete" },
            new JsonObject { ["name"] = "model-initializer", ["status"] = "Complete" });
        return Runtime(name, "torchtune", new JsonObject { ["torch"] = new JsonObject() },
            [Initializer("dataset-initializer", "hf://tatsu-lab/alpaca"), Initializer("model-initializer", "hf://meta-llama/Llama-3.2-1B-Instruct"), trainer]);
    }

    private static JsonObject Trainer(string image) => Job("node", TrainerStep.TrainerAncestor, Container("node", image, null));

    private static JsonObject Container(string name, string image, string[]? command)
    {
        var container = new JsonObject { ["name"] = name, ["image"] = image };
        if (command is not null)
        {
            container["command"] = new JsonArray([.. command.Select(c => (JsonNode)c)]);
        }
        return container;
    }

    private static JsonObject Job(string name, string? ancestor, JsonObject container) => new()
    {
        ["name"] = name,
        ["template"] = new JsonObject
        {
            ["metadata"] = ancestor is null ? new JsonObject() : new JsonObject { ["labels"] = new JsonObject { [TrainJobResolver.AncestorLabel] = ancestor } },
            ["spec"] = new JsonObject { ["template"] = new JsonObject { ["spec"] = new JsonObject { ["containers"] = new JsonArray(container) } } },
        },
    };

    private static JsonObject Runtime(string name, string framework, JsonObject policy, JsonObject[] jobs)
    {
        policy["numNodes"] = 1;
        return new JsonObject
        {
            ["apiVersion"] = "trainer.kubeflow.org/v1alpha1",
            ["kind"] = TrainingRuntime.ClusterKind,
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { [TrainingRuntime.FrameworkLabel] = framework } },
            ["spec"] = new JsonObject
            {
                ["mlPolicy"] = policy,
                ["template"] = new JsonObject { ["spec"] = new JsonObject { ["replicatedJobs"] = new JsonArray([.. jobs]) } },
            },
        };
    }
}
