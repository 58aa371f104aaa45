using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Core.Errors;
using Gantry.Core.Kinds;
using Gantry.Core.Labels;
using Gantry.Core.Queues;
using Gantry.Core.Validation;
using Gantry.Core.Manifests;
using Gantry.Server.Api;
using Gantry.Server.Options;
using YamlDotNet.Core;

namespace Gantry.Server.Manifests;

/// <summary>
/// Reads a submission from a request body: the JSON envelope of the API contract, a bare
/// manifest in JSON, or a raw YAML manifest whose queue and priority come from annotations.
/// Syntax errors are a 400 at once; wrong fields are added to the caller's
/// <see cref="ValidationErrors"/>, so that they are reported together with what the kind and
/// the queue find wrong, as one 422.
/// </summary>
public static class SubmissionReader
{
    public const string QueueAnnotation = "gantry.io/queue";
    public const string PriorityAnnotation = "gantry.io/priority";

    private static readonly HashSet<string> EnvelopeFields = ["manifest", "queue", "priority", "labels", "name", "maxAttempts"];

    public static Submission Read(byte[] body, string? contentType, ValidationErrors errors, LimitsOptions limits)
    {
        var root = Parse(body, contentType, limits.Document);
        var submission = root.ContainsKey("manifest") ? ReadEnvelope(root, errors) : ReadBareManifest(root, errors);
        CheckSizes(submission, limits);
        return submission;
    }

    /// <summary>Labels and annotations are stored and copied to every custom resource: their size is bounded, by name.</summary>
    private static void CheckSizes(Submission submission, LimitsOptions limits)
    {
        if (submission.Labels.Count > limits.MaxLabels)
        {
            throw new LimitExceededException("labels", "Gantry:Limits:MaxLabels", limits.MaxLabels,
                $"holds {submission.Labels.Count} labels, more than {limits.MaxLabels}", tooLarge: true);
        }
        if (submission.Manifest?["metadata"] is JsonObject metadata && metadata["annotations"] is JsonObject annotations)
        {
            var bytes = annotations.Sum(a => Encoding.UTF8.GetByteCount(a.Key) + (a.Value is JsonValue v ? Encoding.UTF8.GetByteCount(v.ToJsonString()) : 0));
            if (bytes > limits.MaxAnnotationBytes)
            {
                throw new LimitExceededException("manifest.metadata.annotations", "Gantry:Limits:MaxAnnotationBytes", limits.MaxAnnotationBytes,
                    $"take {bytes} bytes, more than {limits.MaxAnnotationBytes}", tooLarge: true);
            }
        }
    }

    private static JsonObject Parse(byte[] body, string? contentType, DocumentLimits limits)
    {
        if (body.Length == 0)
        {
            throw RequestException.BadField("body", "The request body is empty; send a job as JSON or YAML.");
        }
        var media = (contentType ?? "application/json").Split(';')[0].Trim().ToLowerInvariant();
        JsonNode? node;
        switch (media)
        {
            case "application/json" or "text/json" or "application/merge-patch+json":
                node = JsonDocuments.Parse(body, limits);
                break;
            case "application/yaml" or "application/x-yaml" or "text/yaml" or "text/x-yaml":
                try
                {
                    node = YamlJson.Parse(Encoding.UTF8.GetString(body), limits);
                }
                catch (Exception ex) when (ex is YamlException or FormatException)
                {
                    throw RequestException.BadField("body", $"The body is not valid YAML: {ex.Message}");
                }
                break;
            default:
                throw new RequestException(415, $"Content type '{media}' is not accepted; send application/json or application/yaml.", "Content-Type");
        }
        return node as JsonObject
            ?? throw RequestException.BadField("body", "The body must be an object: {\"manifest\": {...}, \"queue\": \"default\"} or a manifest.");
    }

    private static Submission ReadEnvelope(JsonObject root, ValidationErrors errors)
    {
        foreach (var (key, _) in root)
        {
            if (!EnvelopeFields.Contains(key))
            {
                errors.Add(key, $"is not a field of a submission; expected {string.Join(", ", EnvelopeFields)}");
            }
        }
        var read = new ManifestReader(errors);
        var manifest = read.Object(root, "", "manifest", required: true);
        var queue = read.String(root, "", "queue") ?? Queue.DefaultName;
        var priority = read.Integer(root, "", "priority", min: int.MinValue);
        if (priority > int.MaxValue)
        {
            errors.Add("priority", "is too large");
        }
        var maxAttempts = read.Integer(root, "", "maxAttempts", min: 1) ?? 1;
        if (maxAttempts > 100)
        {
            errors.Add("maxAttempts", "must be at most 100");
        }
        var labels = ReadLabels(read.Object(root, "", "labels"), "labels", errors);
        var name = read.String(root, "", "name") ?? MetadataName(manifest);
        CheckName(name, errors);
        return new Submission(manifest, queue, (int)Math.Clamp(priority ?? 0, int.MinValue, int.MaxValue), labels, name, (int)Math.Min(maxAttempts, 100));
    }

    private static Submission ReadBareManifest(JsonObject manifest, ValidationErrors errors)
    {
        var read = new ManifestReader(errors);
        var metadata = read.Object(manifest, "manifest", "metadata");
        var annotations = read.Object(metadata, "manifest.metadata", "annotations");
        var queue = read.String(annotations, "manifest.metadata.annotations", QueueAnnotation) ?? Queue.DefaultName;
        var priority = read.Integer(annotations, "manifest.metadata.annotations", PriorityAnnotation, min: int.MinValue, allowString: true) ?? 0;
        var labels = ReadLabels(read.Object(metadata, "manifest.metadata", "labels"), "manifest.metadata.labels", errors);
        var name = MetadataName(manifest);
        CheckName(name, errors);
        return new Submission(manifest, queue, (int)Math.Clamp(priority, int.MinValue, int.MaxValue), labels, name, 1);
    }

    private static string? MetadataName(JsonObject? manifest) =>
        manifest?["metadata"] is JsonObject metadata && metadata["name"] is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : null;

    private static void CheckName(string? name, ValidationErrors errors)
    {
        if (name is not null && (name.Length == 0 || name.Length > 253))
        {
            errors.Add("name", "must be 1 to 253 characters");
        }
    }

    private static Dictionary<string, string> ReadLabels(JsonObject? labels, string path, ValidationErrors errors)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (labels is null)
        {
            return result;
        }
        foreach (var (key, value) in labels)
        {
            if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
            {
                errors.Add($"{path}.{key}", "must be a string");
                continue;
            }
            LabelRules.Validate(key, v.GetValue<string>(), $"{path}.{key}", errors);
            result[key] = v.GetValue<string>();
        }
        return result;
    }
}
