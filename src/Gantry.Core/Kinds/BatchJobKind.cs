using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Core.Validation;

namespace Gantry.Core.Kinds;

/// <summary>
/// A Kubernetes <c>Job</c> (<c>batch/v1</c>), the trial Katib's example experiments run. Built into
/// every API server, so there is no CRD schema to check it against: the rules here are the API
/// server's own for the fields Gantry reads. The gang is the pods that run at once,
/// <c>parallelism</c> (default 1) capped by <c>completions</c>, each asking what the Kubernetes
/// scheduler would see for the pod template.
/// </summary>
public sealed class BatchJobKind(Resources.Resources containerDefault) : IJobKind
{
    public BatchJobKind()
        : this(TrainingJobKind.DefaultContainerRequest)
    {
    }

    public const string KindName = "Job";

    /// <summary>The API server's bound for an Indexed Job's completions and parallelism; Gantry applies it to every Job.</summary>
    public const long MaxPods = 100_000;

    /// <summary>Kubernetes' default <c>backoffLimit</c>.</summary>
    public const int DefaultBackoffLimit = 6;

    private const string SpecPath = "manifest.spec";
    private static readonly string[] RestartPolicies = ["Never", "OnFailure"];
    private static readonly string[] CompletionModes = ["NonIndexed", "Indexed"];

    public string Name => KindName;

    public KubernetesResource Resource { get; } = new("batch", "v1", "jobs");

    public ResourceDemand Analyze(JsonObject manifest, ValidationErrors errors)
    {
        var read = new ManifestReader(errors);
        ManifestHeader.Check(read, manifest, Name, Resource);
        var spec = read.Object(manifest, "manifest", "spec", required: true);
        if (spec is null)
        {
            return ResourceDemand.None;
        }
        var parallelism = read.Integer(spec, SpecPath, "parallelism", min: 0, max: MaxPods);
        var completions = read.Integer(spec, SpecPath, "completions", min: 0, max: MaxPods);
        var mode = read.String(spec, SpecPath, "completionMode");
        if (mode is not null && !CompletionModes.Contains(mode, StringComparer.Ordinal))
        {
            errors.Add($"{SpecPath}.completionMode", $"'{mode}' is not one of {string.Join(", ", CompletionModes)}");
        }
        var indexed = mode == "Indexed";
        if (indexed && spec["completions"] is null)
        {
            errors.Add($"{SpecPath}.completions", "is required when completionMode is Indexed");
        }
        read.Integer(spec, SpecPath, "backoffLimit", min: 0, max: int.MaxValue);
        if (read.Integer(spec, SpecPath, "backoffLimitPerIndex", min: 0, max: int.MaxValue) is not null && !indexed)
        {
            errors.Add($"{SpecPath}.backoffLimitPerIndex", "requires completionMode Indexed");
        }
        read.Integer(spec, SpecPath, "activeDeadlineSeconds", min: 1);
        read.Integer(spec, SpecPath, "ttlSecondsAfterFinished", min: 0, max: int.MaxValue);
        read.Boolean(spec, SpecPath, "suspend");
        if (read.Boolean(spec, SpecPath, "manualSelector") == true)
        {
            // Gantry finds the Job's pods by the labels the Job controller generates.
            errors.Add($"{SpecPath}.manualSelector", "is not supported: Gantry relies on the selector the Job controller generates");
        }
        var pod = PodTemplate(read, spec);
        var count = Pods(parallelism, completions);
        return DemandGuard.Checked(new ResourceDemand([new PodDemand("pod", count, pod)]), errors, SpecPath);
    }

    /// <summary>
    /// How many of the Job's pods run at once: <c>parallelism</c> (default 1), never more than
    /// <c>completions</c> when that is set, as the Job controller starts no pod beyond the completions left.
    /// </summary>
    public static int Pods(long? parallelism, long? completions) =>
        (int)Math.Max(0, Math.Min(parallelism ?? 1, completions ?? long.MaxValue));

    private Resources.Resources PodTemplate(ManifestReader read, JsonObject spec)
    {
        const string templatePath = $"{SpecPath}.template";
        const string podSpecPath = $"{templatePath}.spec";
        var template = read.Object(spec, SpecPath, "template", required: true);
        read.Object(read.Object(template, templatePath, "metadata"), $"{templatePath}.metadata", "labels");
        var podSpec = read.Object(template, templatePath, "spec", required: template is not null);
        if (podSpec is null)
        {
            return Resources.Resources.Zero;
        }
        // A pod's default is Always, which the API server refuses in a Job: so it must be written.
        var policy = read.String(podSpec, podSpecPath, "restartPolicy");
        if (policy is null && podSpec["restartPolicy"] is null)
        {
            read.Errors.Add($"{podSpecPath}.restartPolicy", "is required in a Job: Never or OnFailure (a pod's default, Always, is not allowed)");
        }
        else if (policy is not null && !RestartPolicies.Contains(policy, StringComparer.Ordinal))
        {
            read.Errors.Add($"{podSpecPath}.restartPolicy", $"'{policy}' is not allowed in a Job; use Never or OnFailure");
        }
        if (policy != "Never" && spec["podFailurePolicy"] is not null)
        {
            read.Errors.Add($"{SpecPath}.podFailurePolicy", "requires the pod template's restartPolicy to be Never");
        }
        var containers = podSpec["containers"] as JsonArray ?? [];
        for (var i = 0; i < containers.Count; i++)
        {
            // PodRequest reports the list's shape; these are the fields a pod cannot do without here.
            if (containers[i] is not JsonObject container)
            {
                continue;
            }
            var path = $"{podSpecPath}.containers[{i}]";
            read.String(container, path, "image", required: true);
            read.Array(container, path, "command");
            read.Array(container, path, "args");
            read.Array(container, path, "env");
        }
        return PodRequest.Read(read, podSpec, podSpecPath, Resources.Resources.Zero, containerDefault);
    }
}
