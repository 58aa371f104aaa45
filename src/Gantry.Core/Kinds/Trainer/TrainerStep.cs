using System.Text.Json.Nodes;

namespace Gantry.Core.Kinds.Trainer;

/// <summary>
/// One replicated job of the JobSet a TrainJob becomes (<c>node</c>, <c>launcher</c>,
/// <c>dataset-initializer</c>...): its pods are <c>&lt;trainjob&gt;-&lt;name&gt;-0-&lt;index&gt;</c>.
/// </summary>
/// <param name="Ancestor">The <c>trainer.kubeflow.org/trainjob-ancestor-step</c> label: trainer, dataset-initializer, model-initializer, or null.</param>
/// <param name="Count">Pods per replica (the Job's parallelism and completions).</param>
/// <param name="PodSpec">The pod spec with the TrainJob's overrides applied (image, command, args, env, resources).</param>
/// <param name="PerPod">What one pod asks of the Kubernetes scheduler.</param>
/// <param name="DependsOn">The JobSet <c>dependsOn</c>: replicated job name to the status it waits for (Ready, Complete).</param>
public sealed record TrainerStep(
    string Name, string? Ancestor, int Replicas, int Count, JsonObject PodSpec, Resources.Resources PerPod, IReadOnlyDictionary<string, string> DependsOn)
{
    public const string TrainerAncestor = "trainer";
    public const string DatasetInitializer = "dataset-initializer";
    public const string ModelInitializer = "model-initializer";

    public bool IsInitializer => Ancestor is DatasetInitializer or ModelInitializer;

    public int Pods => Replicas * Count;

    /// <summary>The container the trainer configures: <c>node</c> in trainer jobs, the step's own name in initializers.</summary>
    public JsonObject? MainContainer =>
        (PodSpec["containers"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(c => c["name"]?.ToString() == (IsInitializer ? Ancestor : "node"))
        ?? (PodSpec["containers"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault();

    /// <summary>The pod names upstream gives, by completion index: <c>node-0-0</c>, <c>node-0-1</c> (without the TrainJob's name and the random suffix).</summary>
    public IEnumerable<string> PodNames() =>
        Enumerable.Range(0, Replicas).SelectMany(r => Enumerable.Range(0, Count).Select(i => $"{Name}-{r}-{i}"));
}
