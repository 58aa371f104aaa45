using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gantry.Core.Resources;
using Gantry.Core.Validation;

namespace Gantry.Core.Kinds.Trainer;

/// <summary>
/// A Kubeflow Trainer v2 <c>TrainJob</c> (<c>trainer.kubeflow.org/v1alpha1</c>). Its gang depends
/// on the runtime it names, which each cluster has or lacks on its own: <see cref="Analyze"/>
/// checks the TrainJob by itself and answers no demand; <see cref="Resolve"/> gives the demand on
/// one cluster, with that cluster's runtime (trainer reference §1-§3).
/// </summary>
public sealed partial class TrainJobKind(Resources.Resources containerDefault) : IJobKind
{
    public TrainJobKind()
        : this(TrainingJobKind.DefaultContainerRequest)
    {
    }

    private const string SpecPath = "manifest.spec";
    public const string DefaultManager = "trainer.kubeflow.org/trainjob-controller";
    public const string MultiKueueManager = "kueue.x-k8s.io/multikueue";

    public string Name => "TrainJob";

    public KubernetesResource Resource { get; } = new("trainer.kubeflow.org", "v1alpha1", "trainjobs");

    /// <summary>What a container requesting no cpu or memory counts as, as for PyTorchJob.</summary>
    public Resources.Resources ContainerDefault => containerDefault;

    /// <summary>Checks what the TrainJob says by itself; the demand needs a runtime, so none is given here.</summary>
    public ResourceDemand Analyze(JsonObject manifest, ValidationErrors errors)
    {
        var read = new ManifestReader(errors);
        ManifestHeader.Check(read, manifest, Name, Resource);
        if (manifest["metadata"]?["name"] is JsonValue nameValue && nameValue.TryGetValue<string>(out var name) && !Rfc1035().IsMatch(name))
        {
            errors.Add("manifest.metadata.name", $"'{name}' must be an RFC 1035 label of at most 63 characters (lower-case letters, digits and '-', starting with a letter), as the TrainJob CRD requires");
        }
        var spec = read.Object(manifest, "manifest", "spec", required: true);
        if (spec is null)
        {
            return ResourceDemand.None;
        }
        const string refPath = $"{SpecPath}.runtimeRef";
        var runtimeRef = read.Object(spec, SpecPath, "runtimeRef", required: true);
        read.String(runtimeRef, refPath, "name", required: true);
        if (read.String(runtimeRef, refPath, "kind") is { } kind && kind is not (TrainingRuntime.ClusterKind or TrainingRuntime.NamespacedKind))
        {
            errors.Add($"{refPath}.kind", $"'{kind}' is not a runtime kind; use {TrainingRuntime.ClusterKind} or {TrainingRuntime.NamespacedKind}");
        }
        if (read.String(runtimeRef, refPath, "apiGroup") is { } group && group != RuntimeRef.DefaultApiGroup)
        {
            errors.Add($"{refPath}.apiGroup", $"'{group}' is not supported; use {RuntimeRef.DefaultApiGroup}");
        }
        const string trainerPath = $"{SpecPath}.trainer";
        var trainer = read.Object(spec, SpecPath, "trainer");
        read.Integer(trainer, trainerPath, "numNodes", min: 1, max: 100_000);
        read.Integer(trainer, trainerPath, "numProcPerNode", min: 1, max: 100_000);
        read.String(trainer, trainerPath, "image");
        if (read.Object(trainer, trainerPath, "resourcesPerNode") is { } resources)
        {
            // Sized the way pods are, so a bad quantity is named now rather than on every cluster.
            var pod = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "node", ["resources"] = resources.DeepClone() }) };
            var scratch = new ValidationErrors();
            PodRequest.Read(new ManifestReader(scratch), pod, "pod", Resources.Resources.Zero, Resources.Resources.Zero);
            foreach (var (field, messages) in scratch.ToDictionary())
            {
                errors.Add(field.Replace("pod.containers[0].resources", $"{trainerPath}.resourcesPerNode", StringComparison.Ordinal), string.Join("; ", messages));
            }
        }
        read.Integer(spec, SpecPath, "activeDeadlineSeconds", min: 1);
        read.Boolean(spec, SpecPath, "suspend");
        if (read.String(spec, SpecPath, "managedBy") is { } manager && manager is not (DefaultManager or MultiKueueManager))
        {
            errors.Add($"{SpecPath}.managedBy", $"'{manager}' must be {DefaultManager} or {MultiKueueManager}");
        }
        var patches = read.Array(spec, SpecPath, "runtimePatches");
        if (patches is { Count: > 16 })
        {
            errors.Add($"{SpecPath}.runtimePatches", "must have at most 16 entries");
        }
        for (var i = 0; i < (patches?.Count ?? 0); i++)
        {
            var path = $"{SpecPath}.runtimePatches[{i}]";
            if (patches![i] is not JsonObject patch)
            {
                errors.Add(path, "must be an object");
            }
            else if (read.String(patch, path, "manager", required: true) is { } owner && !DomainPath().IsMatch(owner))
            {
                errors.Add($"{path}.manager", $"'{owner}' must be a domain-prefixed path such as example.io/team");
            }
        }
        return ResourceDemand.None;
    }

    /// <summary>
    /// The TrainJob resolved against <paramref name="runtime"/> (one cluster's), with the checks
    /// upstream's webhook makes against it (<see cref="TrainJobRules"/>) added to <paramref name="errors"/>.
    /// </summary>
    public ResolvedTrainJob Resolve(JsonObject manifest, TrainingRuntime runtime, ValidationErrors errors)
    {
        TrainJobRules.Check(manifest, runtime, errors);
        return TrainJobResolver.Resolve(manifest, runtime, containerDefault, errors);
    }

    [GeneratedRegex("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex Rfc1035();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+/[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?$")]
    private static partial Regex DomainPath();
}
