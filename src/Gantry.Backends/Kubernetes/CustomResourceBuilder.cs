using System.Text.Json.Nodes;
using Gantry.Core.Jobs;

namespace Gantry.Backends.Kubernetes;

/// <summary>
/// The object Gantry creates for a job: the stored manifest's spec, under Gantry's deterministic
/// name (the manifest's own in the <c>gantry.io/name</c> annotation) in the chosen namespace,
/// labelled with the job, queue and owner, with the job's
/// environment in every container the operator starts.
/// </summary>
internal static class CustomResourceBuilder
{
    public const string TokenKey = "token";

    public static JsonObject Build(Job job, Workload workload, string ns, string gatewayUrl, string? uiProxyBase = null)
    {
        var manifest = JsonNode.Parse(job.Manifest)?.AsObject() ?? [];
        var sourceMetadata = manifest["metadata"] as JsonObject;
        var labels = sourceMetadata?["labels"] is JsonObject ownLabels ? (JsonObject)ownLabels.DeepClone() : [];
        var podLabels = new Dictionary<string, string>(StringComparer.Ordinal) { [GantryLabels.JobId] = job.Id };
        labels[GantryLabels.JobId] = job.Id;
        labels[GantryLabels.Queue] = GantryLabels.Value(job.Queue);
        labels[GantryLabels.Owner] = GantryLabels.Value(job.Owner);
        var metadata = new JsonObject
        {
            ["name"] = GantryLabels.ResourceName(job.Id),
            ["namespace"] = ns,
            ["labels"] = labels,
        };
        var annotations = sourceMetadata?["annotations"] is JsonObject ownAnnotations ? (JsonObject)ownAnnotations.DeepClone() : [];
        // The resource takes Gantry's name (a resumed dispatch finds its earlier copy by it); the user's stays readable beside it.
        annotations[GantryLabels.Name] = sourceMetadata?["name"] is JsonValue named && named.TryGetValue<string>(out var given) && given.Length > 0 ? given : job.Name;
        metadata["annotations"] = annotations;
        var spec = manifest["spec"] is JsonObject source ? (JsonObject)source.DeepClone() : [];
        workload.Prepare(spec, Environment(job.Id, gatewayUrl), podLabels);
        if (uiProxyBase is not null)
        {
            workload.SetUiProxyBase(spec, uiProxyBase);
        }
        return new JsonObject
        {
            ["apiVersion"] = workload.Resource.ApiVersion,
            ["kind"] = workload.Kind,
            ["metadata"] = metadata,
            ["spec"] = spec,
        };
    }

    /// <summary>
    /// The token is a reference to the job's Secret, not a value: a custom resource's spec is
    /// readable by everyone who may list jobs, and a Secret can be given a new token at a
    /// re-dispatch without touching the spec (which would make the Spark operator rerun the app).
    /// Optional, so a pod whose Secret is missing still starts, just without a token.
    /// </summary>
    private static List<JsonObject> Environment(string jobId, string gatewayUrl) =>
    [
        new() { ["name"] = "GANTRY_URL", ["value"] = gatewayUrl },
        new() { ["name"] = "GANTRY_JOB_ID", ["value"] = jobId },
        new()
        {
            ["name"] = "GANTRY_JOB_TOKEN",
            ["valueFrom"] = new JsonObject
            {
                ["secretKeyRef"] = new JsonObject
                {
                    ["name"] = GantryLabels.TokenSecretName(jobId),
                    ["key"] = TokenKey,
                    ["optional"] = true,
                },
            },
        },
    ];
}
