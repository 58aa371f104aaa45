using System.Text.Json.Nodes;

namespace Gantry.Core.Kinds.Trainer;

/// <summary>A runtime's <c>mlPolicy</c>: the node count and which framework's plugin shapes the pods.</summary>
public sealed record MlPolicy(string Framework, int? NumNodes, JsonObject Settings)
{
    public const string Torch = "torch";
    public const string Mpi = "mpi";
    public const string Jax = "jax";
    public const string XGBoost = "xgboost";
    public const string Flux = "flux";

    /// <summary>No framework policy: counts and env only.</summary>
    public const string PlainMl = "plainml";

    /// <summary>Whether the runtime has an <c>mlPolicy</c> at all (without one the trainer job keeps its template parallelism).</summary>
    public bool Declared { get; init; } = true;

    public bool IsMpi => Framework == Mpi;

    public bool RunLauncherAsNode => IsMpi && Settings["runLauncherAsNode"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    public int MpiProcPerNode => TrainJobResolver.Int(Settings["numProcPerNode"]) ?? 1;

    public static MlPolicy Of(JsonObject runtimeSpec)
    {
        if (runtimeSpec["mlPolicy"] is not JsonObject policy)
        {
            return new MlPolicy(PlainMl, null, []) { Declared = false };
        }
        var numNodes = TrainJobResolver.Int(policy["numNodes"]);
        foreach (var framework in new[] { Torch, Mpi, Jax, XGBoost, Flux })
        {
            if (policy[framework] is JsonObject settings)
            {
                return new MlPolicy(framework, numNodes, settings);
            }
        }
        return new MlPolicy(PlainMl, numNodes, []);
    }
}
