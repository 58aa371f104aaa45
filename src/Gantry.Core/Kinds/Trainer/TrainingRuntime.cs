using System.Text.Json.Nodes;

namespace Gantry.Core.Kinds.Trainer;

/// <summary>
/// A Kubeflow Trainer runtime as one cluster serves it: a <c>ClusterTrainingRuntime</c>
/// (<paramref name="Namespace"/> null) or a namespaced <c>TrainingRuntime</c>, with its spec
/// (<c>mlPolicy</c>, <c>podGroupPolicy</c>, <c>template</c>: a JobSet spec) and labels.
/// </summary>
public sealed record TrainingRuntime(string Kind, string? Namespace, string Name, JsonObject Spec, IReadOnlyDictionary<string, string> Labels)
{
    public const string ClusterKind = "ClusterTrainingRuntime";
    public const string NamespacedKind = "TrainingRuntime";
    public const string FrameworkLabel = "trainer.kubeflow.org/framework";

    /// <summary>The framework label the Trainer SDK lists runtimes by (torch, deepspeed, jax, torchtune...), or null.</summary>
    public string? Framework => Labels.GetValueOrDefault(FrameworkLabel);

    /// <summary>"ClusterTrainingRuntime torch-distributed", "TrainingRuntime team-a/torch-with-dataset-init".</summary>
    public string Describe() => Namespace is null ? $"{Kind} {Name}" : $"{Kind} {Namespace}/{Name}";

    /// <summary>Reads a runtime object as the API server returns it; null when it has no name or spec.</summary>
    public static TrainingRuntime? FromObject(JsonObject runtime)
    {
        var kind = runtime["kind"]?.GetValue<string>() ?? ClusterKind;
        if (runtime["metadata"] is not JsonObject metadata || metadata["name"] is not JsonValue name || runtime["spec"] is not JsonObject spec)
        {
            return null;
        }
        var labels = (metadata["labels"] as JsonObject ?? [])
            .Where(l => l.Value is JsonValue)
            .ToDictionary(l => l.Key, l => l.Value!.ToString(), StringComparer.Ordinal);
        var ns = kind == ClusterKind ? null : metadata["namespace"]?.GetValue<string>();
        return new TrainingRuntime(kind, ns, name.GetValue<string>(), (JsonObject)spec.DeepClone(), labels);
    }
}
