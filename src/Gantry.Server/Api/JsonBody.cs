using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Core.Kinds;
using Gantry.Core.Labels;
using Gantry.Core.Manifests;
using Gantry.Core.Validation;

namespace Gantry.Server.Api;

/// <summary>The parts every small admin request body shares: a JSON object, known fields only, labels.</summary>
internal static class JsonBody
{
    /// <summary>The body as a JSON object; a 400 naming <c>body</c> otherwise.</summary>
    public static JsonObject Object(byte[] body, string what, DocumentLimits limits) =>
        Parse(body, limits) as JsonObject
            ?? throw RequestException.BadField("body", $"The body must be a JSON object describing {what}.");

    /// <summary>
    /// Any JSON body, checked against <paramref name="limits"/> before it is built (nesting, size,
    /// strings that are real text): a 400 or 413 naming the field or the limit otherwise.
    /// </summary>
    public static JsonNode? Parse(byte[] body, DocumentLimits limits)
    {
        if (body.Length == 0)
        {
            throw RequestException.BadField("body", "The request body is empty; send a JSON object.");
        }
        return JsonDocuments.Parse(body, limits);
    }

    public static void OnlyFields(JsonObject root, IReadOnlyCollection<string> fields, string what, ValidationErrors errors)
    {
        foreach (var (key, _) in root)
        {
            if (!fields.Contains(key))
            {
                errors.Add(key, $"is not a field of {what}; expected {string.Join(", ", fields)}");
            }
        }
    }

    /// <summary>A string-to-string map of Kubernetes-valid labels under <paramref name="name"/>; empty when absent.</summary>
    public static Dictionary<string, string> Labels(ManifestReader read, JsonObject root, string name)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in read.Object(root, "", name) ?? [])
        {
            if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            {
                labels[key] = v.GetValue<string>();
                LabelRules.Validate(key, labels[key], $"{name}.{key}", read.Errors);
            }
            else
            {
                read.Errors.Add($"{name}.{key}", "must be a string");
            }
        }
        return labels;
    }
}
