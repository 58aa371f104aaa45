using System.Text.Json.Nodes;

namespace Gantry.Core.Kinds.Trainer;

/// <summary>A TrainJob's <c>spec.runtimeRef</c> with the CRD's defaults applied.</summary>
public sealed record RuntimeRef(string Kind, string Name)
{
    public const string DefaultApiGroup = "trainer.kubeflow.org";

    /// <summary>"ClusterTrainingRuntime torch-distributed": how explain and the 422 name a missing runtime.</summary>
    public override string ToString() => $"{Kind} {Name}";

    /// <summary>The reference of a manifest, or null when it names no runtime (already refused by validation).</summary>
    public static RuntimeRef? Of(JsonObject manifest) =>
        manifest["spec"]?["runtimeRef"] is JsonObject reference && reference["name"] is JsonValue name && name.TryGetValue<string>(out var text)
            ? new RuntimeRef(reference["kind"] is JsonValue k && k.TryGetValue<string>(out var kind) ? kind : TrainingRuntime.ClusterKind, text)
            : null;

    /// <summary>The runtime it names among <paramref name="runtimes"/>: a TrainingRuntime only in the job's own <paramref name="ns"/>.</summary>
    public TrainingRuntime? Find(IEnumerable<TrainingRuntime> runtimes, string ns) =>
        runtimes.FirstOrDefault(r => r.Kind == Kind && r.Name == Name && (Kind == TrainingRuntime.ClusterKind || r.Namespace == ns));
}
