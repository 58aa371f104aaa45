using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Core.Validation;

namespace Gantry.Core.Kinds;

/// <summary>
/// Kubeflow Training Operator v1 jobs (<c>kubeflow.org/v1</c>): a map of replica types to pod
/// templates. The gang is every replica of every type, each pod asking what the Kubernetes
/// scheduler would see for its template (training-operator reference, "Gang size for scheduling").
/// </summary>
public abstract class TrainingJobKind : IJobKind
{
    private const string SpecPath = "manifest.spec";
    private static readonly string[] RestartPolicies = ["Always", "OnFailure", "Never", "ExitCode"];

    /// <summary>
    /// What a container that requests no cpu (or no memory) is counted as asking for, unless
    /// configured otherwise (Gantry:Scheduler:DefaultContainerCpu/Memory): 1 cpu and 1 GiB, the Spark
    /// operator's defaults for a driver or executor, which is what the upstream examples that request
    /// nothing can be expected to use.
    /// </summary>
    public static readonly Resources.Resources DefaultContainerRequest = new(1000, 1024L * 1024 * 1024, 0);

    private readonly Resources.Resources _containerDefault;

    protected TrainingJobKind(string plural, Resources.Resources containerDefault)
    {
        Resource = new KubernetesResource("kubeflow.org", "v1", plural);
        _containerDefault = containerDefault;
    }

    public abstract string Name { get; }

    public KubernetesResource Resource { get; }

    /// <summary>The spec field holding the replica map, e.g. <c>pytorchReplicaSpecs</c>.</summary>
    protected abstract string ReplicaSpecsField { get; }

    /// <summary>The replica types the operator accepts, in the order their pods are listed.</summary>
    protected abstract IReadOnlyList<string> ReplicaTypes { get; }

    /// <summary>The container the operator configures and watches (<c>pytorch</c>, <c>jax</c>).</summary>
    protected abstract string DefaultContainer { get; }

    /// <summary>Why <paramref name="replicas"/> is not allowed for <paramref name="type"/>, or null if it is.</summary>
    protected abstract string? ReplicaCountProblem(string type, long replicas);

    /// <summary>Kind-specific checks of the rest of the spec, given the replica types present.</summary>
    protected virtual void CheckSpec(ManifestReader read, JsonObject spec, IReadOnlyCollection<string> types)
    {
    }

    /// <summary>An init container the operator injects into pods of <paramref name="type"/>, as a request.</summary>
    protected virtual Resources.Resources ImplicitInitContainer(string type, IReadOnlyCollection<string> types) =>
        Resources.Resources.Zero;

    public ResourceDemand Analyze(JsonObject manifest, ValidationErrors errors)
    {
        var read = new ManifestReader(errors);
        ManifestHeader.Check(read, manifest, Name, Resource);
        var spec = read.Object(manifest, "manifest", "spec", required: true);
        if (spec is null)
        {
            return ResourceDemand.None;
        }
        const string runPolicyPath = $"{SpecPath}.runPolicy";
        var runPolicy = read.Object(spec, SpecPath, "runPolicy");
        // Both are enforced by the local backend too, so a bad value is refused here rather than ignored there.
        read.Integer(runPolicy, runPolicyPath, "backoffLimit", min: 0, max: int.MaxValue);
        read.Integer(runPolicy, runPolicyPath, "activeDeadlineSeconds", min: 1);
        var replicas = ReadReplicaSpecs(read, spec);
        var types = replicas.Select(r => r.Type).ToList();
        CheckSpec(read, spec, types);
        var pods = new List<PodDemand>();
        foreach (var (type, path, replicaSpec) in replicas)
        {
            var count = ReplicaCount(read, type, path, replicaSpec);
            var pod = PodTemplate(read, replicaSpec, path, ImplicitInitContainer(type, types));
            // Lower case, as the operator labels pods (training.kubeflow.org/replica-type).
            pods.Add(new PodDemand(type.ToLowerInvariant(), count, pod));
        }
        return DemandGuard.Checked(new ResourceDemand(pods), errors, SpecPath);
    }

    /// <summary>
    /// The replica specs keyed by canonical type. The operator's defaulting renames keys that differ
    /// only in case (<c>worker</c> to <c>Worker</c>); paths keep the key as written so users find it.
    /// </summary>
    private List<(string Type, string Path, JsonObject Spec)> ReadReplicaSpecs(ManifestReader read, JsonObject spec)
    {
        var mapPath = $"{SpecPath}.{ReplicaSpecsField}";
        var map = read.Object(spec, SpecPath, ReplicaSpecsField, required: true);
        var allowed = string.Join(", ", ReplicaTypes);
        if (map is { Count: 0 })
        {
            read.Errors.Add(mapPath, $"must define at least one replica type ({allowed})");
        }
        var replicas = new List<(string Type, string Path, JsonObject Spec)>();
        foreach (var (key, node) in map ?? [])
        {
            var path = $"{mapPath}.{key}";
            var type = ReplicaTypes.FirstOrDefault(t => t.Equals(key, StringComparison.OrdinalIgnoreCase));
            if (type is null)
            {
                read.Errors.Add(path, $"'{key}' is not a {Name} replica type (allowed: {allowed})");
            }
            else if (replicas.Any(r => r.Type == type))
            {
                read.Errors.Add(path, $"repeats the {type} replica type under another spelling");
            }
            else if (read.Object(map, mapPath, key) is { } replicaSpec)
            {
                replicas.Add((type, path, replicaSpec));
            }
        }
        return [.. ReplicaTypes.SelectMany(type => replicas.Where(r => r.Type == type))];
    }

    private int ReplicaCount(ManifestReader read, string type, string path, JsonObject replicaSpec)
    {
        var policy = read.String(replicaSpec, path, "restartPolicy");
        if (policy is not null && !RestartPolicies.Contains(policy, StringComparer.Ordinal))
        {
            read.Errors.Add($"{path}.restartPolicy", $"'{policy}' is not one of {string.Join(", ", RestartPolicies)}");
        }
        var replicas = read.Integer(replicaSpec, path, "replicas", max: int.MaxValue) ?? 1;
        if (ReplicaCountProblem(type, replicas) is { } problem)
        {
            read.Errors.Add($"{path}.replicas", problem);
        }
        return (int)Math.Max(replicas, 0);
    }

    private Resources.Resources PodTemplate(ManifestReader read, JsonObject replicaSpec, string path, Resources.Resources implicitInit)
    {
        var templatePath = $"{path}.template";
        var podSpecPath = $"{templatePath}.spec";
        var template = read.Object(replicaSpec, path, "template", required: true);
        var podSpec = read.Object(template, templatePath, "spec", required: template is not null);
        if (podSpec is null)
        {
            return Resources.Resources.Zero;
        }
        // Only locate the default container here; PodRequest reports the shape of the list itself.
        if (podSpec["containers"] is JsonArray containers)
        {
            var index = FindContainer(containers, DefaultContainer);
            if (index < 0)
            {
                read.Errors.Add($"{podSpecPath}.containers", $"must include a container named '{DefaultContainer}' (the operator runs the job in it)");
            }
            else
            {
                read.String((JsonObject)containers[index]!, $"{podSpecPath}.containers[{index}]", "image", required: true);
            }
        }
        return PodRequest.Read(read, podSpec, podSpecPath, implicitInit, _containerDefault);
    }

    private static int FindContainer(JsonArray containers, string name)
    {
        for (var i = 0; i < containers.Count; i++)
        {
            if (containers[i] is JsonObject container
                && container["name"] is JsonValue value
                && value.TryGetValue<string>(out var text)
                && text == name)
            {
                return i;
            }
        }
        return -1;
    }
}
