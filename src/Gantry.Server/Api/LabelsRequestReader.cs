using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Core.Kinds;
using Gantry.Core.Labels;
using Gantry.Core.Manifests;
using Gantry.Core.Validation;

namespace Gantry.Server.Api;

/// <summary>
/// Reads <c>PATCH /clusters/{name}</c>, <c>{"labels": {"gpu": "a100", "old": null}}</c>, as a
/// JSON merge patch of the labels: a string sets a label, null removes it, others stay.
/// </summary>
public static class LabelsRequestReader
{
    public static IReadOnlyDictionary<string, string> Apply(byte[] body, IReadOnlyDictionary<string, string> current, DocumentLimits limits)
    {
        var root = JsonBody.Object(body, "the change", limits);
        var errors = new ValidationErrors();
        JsonBody.OnlyFields(root, ["labels"], "a cluster change", errors);
        var changes = new ManifestReader(errors).Object(root, "", "labels", required: true);
        var labels = new Dictionary<string, string>(current, StringComparer.Ordinal);
        foreach (var (key, value) in changes ?? [])
        {
            if (value is null)
            {
                labels.Remove(key);
            }
            else if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            {
                labels[key] = v.GetValue<string>();
                LabelRules.Validate(key, labels[key], $"labels.{key}", errors);
            }
            else
            {
                errors.Add($"labels.{key}", "must be a string, or null to remove the label");
            }
        }
        errors.ThrowIfAny("The labels are invalid.");
        return labels;
    }
}
