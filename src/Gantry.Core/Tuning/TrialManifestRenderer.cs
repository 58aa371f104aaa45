using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Gantry.Core.Tuning;

/// <summary>
/// Katib's placeholder substitution (<c>manifest/generator.go</c>): each <c>${trialParameters.NAME}</c>
/// becomes the value of NAME's reference, a parameter's assigned value or the trial's own
/// metadata (<c>${trialSpec.Name}</c>, Namespace, Kind, APIVersion, <c>Labels[key]</c>,
/// <c>Annotations[key]</c>). Katib replaces text in the serialized template; Gantry replaces inside
/// the template's string values, which is the same wherever a placeholder can stand in JSON but
/// cannot break the document when a value holds a quote. The job is named after the trial.
/// </summary>
public static partial class TrialManifestRenderer
{
    [GeneratedRegex(@"\$\{trialParameters\.([^}]*)\}")]
    private static partial Regex Placeholder();

    public static JsonObject Render(TrialTemplate template, IReadOnlyList<ParameterAssignment> assignments, string trialName, string? trialNamespace)
    {
        var values = Values(template, assignments, trialName, trialNamespace);
        var manifest = (JsonObject)template.TrialSpec.DeepClone();
        var pending = new Stack<JsonNode>();
        pending.Push(manifest);
        while (pending.Count > 0)
        {
            switch (pending.Pop())
            {
                case JsonObject obj:
                    foreach (var key in obj.Select(kv => kv.Key).ToList())
                    {
                        Visit(obj[key], replacement => obj[key] = replacement, pending, values);
                    }
                    break;
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        var index = i;
                        Visit(array[i], replacement => array[index] = replacement, pending, values);
                    }
                    break;
            }
        }
        if (manifest["metadata"] is not JsonObject metadata)
        {
            metadata = [];
            manifest["metadata"] = metadata;
        }
        metadata["name"] = trialName;
        if (trialNamespace is not null)
        {
            metadata["namespace"] = trialNamespace;
        }
        return manifest;
    }

    /// <summary>What each trial parameter stands for in this trial; throws when an assignment the template needs is missing (a caller's bug).</summary>
    public static IReadOnlyDictionary<string, string> Values(TrialTemplate template, IReadOnlyList<ParameterAssignment> assignments, string trialName, string? trialNamespace)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in template.TrialParameters)
        {
            values[parameter.Name] = MetaReference.TryParse(parameter.Reference, out var meta)
                ? Meta(template, meta, trialName, trialNamespace)
                : assignments.FirstOrDefault(a => a.Name == parameter.Reference)?.Value
                    ?? throw new ArgumentException($"No assignment for parameter '{parameter.Reference}' (trial parameter '{parameter.Name}').", nameof(assignments));
        }
        return values;
    }

    private static string Meta(TrialTemplate template, MetaReference meta, string trialName, string? trialNamespace) => meta.Field switch
    {
        MetaField.Name => trialName,
        MetaField.Namespace => trialNamespace ?? "",
        MetaField.Kind => template.Kind,
        MetaField.ApiVersion => template.ApiVersion ?? "",
        MetaField.Labels => Text(template.TrialSpec["metadata"]?["labels"]?[meta.Key!]),
        _ => Text(template.TrialSpec["metadata"]?["annotations"]?[meta.Key!]),
    };

    private static string Text(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : node?.ToJsonString() ?? "";

    private static void Visit(JsonNode? node, Action<JsonNode> replace, Stack<JsonNode> pending, IReadOnlyDictionary<string, string> values)
    {
        if (node is JsonObject or JsonArray)
        {
            pending.Push(node);
        }
        else if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            var text = value.GetValue<string>();
            if (text.Contains("${trialParameters.", StringComparison.Ordinal))
            {
                replace(JsonValue.Create(Placeholder().Replace(text, m => values.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value)));
            }
        }
    }
}
