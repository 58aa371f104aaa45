using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gantry.Core.Kinds;
using Gantry.Core.Validation;

namespace Gantry.Core.Tuning;

/// <summary>
/// Reads <c>spec.trialTemplate</c> with Katib's rules: an inline <c>trialSpec</c> with apiVersion
/// and kind and no name or namespace of its own; trial parameters with unique names (no braces)
/// and unique references to a parameter or a <c>${trialSpec.X}</c> meta reference; every trial
/// parameter used in the template and no placeholder left without one; success and failure
/// conditions where Katib has no default for the kind.
/// </summary>
internal static partial class TrialTemplateReader
{
    [GeneratedRegex(@"\$\{trialParameters\.([^}]*)\}")]
    private static partial Regex Placeholder();

    public static TrialTemplate? Read(ManifestReader read, JsonObject? spec, string specPath, IReadOnlyList<Parameter>? parameters,
        TuningLimits limits, ValidationErrors unsupported)
    {
        var path = $"{specPath}.trialTemplate";
        var node = read.Object(spec, specPath, "trialTemplate", required: spec is not null);
        if (node is null)
        {
            return null;
        }
        var before = read.Errors.Count;
        if (node["configMap"] is not null)
        {
            if (node["trialSpec"] is not null)
            {
                read.Errors.Add(path, "must set exactly one of trialSpec and configMap");
                return null;
            }
            unsupported.Add($"{path}.configMap", "a trial template read from a ConfigMap is not supported yet; put it inline as trialSpec");
            return null;
        }
        var trialSpec = read.Object(node, path, "trialSpec", required: true);
        var primary = read.String(node, path, "primaryContainerName", required: true);
        var retain = read.Boolean(node, path, "retain") ?? false;
        var success = read.String(node, path, "successCondition");
        var failure = read.String(node, path, "failureCondition");
        var kind = trialSpec is null ? null : CheckTrialSpec(read, trialSpec, $"{path}.trialSpec");
        var trialParameters = ReadTrialParameters(read, node, path, parameters, trialSpec, limits);
        if (kind is not null)
        {
            (success, failure) = Conditions(read, path, kind.Value.ApiVersion, kind.Value.Kind, success, failure);
        }
        if (trialSpec is not null && trialParameters is not null)
        {
            CheckPlaceholders(read, trialSpec, $"{path}.trialSpec", trialParameters, path);
        }
        if (read.Errors.Count != before || trialSpec is null || primary is null || trialParameters is null)
        {
            return null;
        }
        return new TrialTemplate((JsonObject)trialSpec.DeepClone(), primary, trialParameters, success, failure, retain);
    }

    private static (string? ApiVersion, string Kind)? CheckTrialSpec(ManifestReader read, JsonObject trialSpec, string path)
    {
        var kind = read.String(trialSpec, path, "kind", required: true);
        // Gantry's own Command kind has no Kubernetes group; every other trial is a Kubernetes object.
        var apiVersion = read.String(trialSpec, path, "apiVersion", required: kind is not null && kind != TrialConditions.CommandKind);
        var metadata = read.Object(trialSpec, path, "metadata");
        foreach (var field in new[] { "name", "namespace" })
        {
            if (metadata?[field] is not null)
            {
                read.Errors.Add($"{path}.metadata.{field}", "must not be set: each trial's job gets the trial's own " + field);
            }
        }
        return kind is null ? null : (apiVersion, kind);
    }

    private static (string?, string?) Conditions(ManifestReader read, string path, string? apiVersion, string kind, string? success, string? failure)
    {
        if (TrialConditions.Defaults(apiVersion, kind) is { } defaults)
        {
            return (success ?? defaults.Success, failure ?? defaults.Failure);
        }
        if (kind != TrialConditions.CommandKind)
        {
            if (success is null)
            {
                read.Errors.Add($"{path}.successCondition", $"is required for a {kind} trial (Katib has no default for it)");
            }
            if (failure is null)
            {
                read.Errors.Add($"{path}.failureCondition", $"is required for a {kind} trial (Katib has no default for it)");
            }
        }
        return (success, failure);
    }

    private static List<TrialParameter>? ReadTrialParameters(ManifestReader read, JsonObject node, string path,
        IReadOnlyList<Parameter>? parameters, JsonObject? trialSpec, TuningLimits limits)
    {
        var result = new List<TrialParameter>();
        var array = read.Array(node, path, "trialParameters");
        if (array is null)
        {
            return result;
        }
        if (array.Count > limits.MaxTrialParameters)
        {
            read.Errors.Add($"{path}.trialParameters", $"may hold at most {limits.MaxTrialParameters} entries, not {array.Count}");
            return null;
        }
        var before = read.Errors.Count;
        for (var i = 0; i < array.Count; i++)
        {
            var field = $"{path}.trialParameters[{i}]";
            if (array[i] is not JsonObject entry)
            {
                read.Errors.Add(field, "must be an object with name and reference");
                continue;
            }
            var name = read.String(entry, field, "name", required: true);
            var reference = read.String(entry, field, "reference", required: true);
            var description = read.String(entry, field, "description");
            if (name is null || reference is null)
            {
                continue;
            }
            if (name.Contains('{', StringComparison.Ordinal) || name.Contains('}', StringComparison.Ordinal))
            {
                read.Errors.Add($"{field}.name", "must not contain '{' or '}'");
            }
            else if (result.Any(p => p.Name == name))
            {
                read.Errors.Add($"{field}.name", $"'{name}' names another trial parameter already");
            }
            else if (result.Any(p => p.Reference == reference))
            {
                read.Errors.Add($"{field}.reference", $"'{reference}' is referenced by another trial parameter already");
            }
            else if (CheckReference(reference, parameters, trialSpec) is { } problem)
            {
                read.Errors.Add($"{field}.reference", problem);
            }
            else
            {
                result.Add(new TrialParameter(name, reference, description));
            }
        }
        return read.Errors.Count == before ? result : null;
    }

    private static string? CheckReference(string reference, IReadOnlyList<Parameter>? parameters, JsonObject? trialSpec)
    {
        if (MetaReference.TryParse(reference, out var meta))
        {
            if (meta.Key is { } key && trialSpec?["metadata"]?[meta.Field == MetaField.Labels ? "labels" : "annotations"]?[key] is null)
            {
                return $"the trial spec has no {(meta.Field == MetaField.Labels ? "label" : "annotation")} '{key}' in its metadata";
            }
            return null;
        }
        if (reference.StartsWith("${", StringComparison.Ordinal))
        {
            return $"'{reference}' is not a meta reference; use ${{trialSpec.Name}}, Namespace, Kind, APIVersion, Labels[key] or Annotations[key]";
        }
        return parameters is null || parameters.Any(p => p.Name == reference) ? null : $"'{reference}' names no parameter in spec.parameters";
    }

    private static void CheckPlaceholders(ManifestReader read, JsonObject trialSpec, string specPath, List<TrialParameter> trialParameters, string path)
    {
        var text = trialSpec.ToJsonString();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match match in Placeholder().Matches(text))
        {
            used.Add(match.Groups[1].Value);
        }
        foreach (var name in used.Where(n => trialParameters.All(p => p.Name != n)).Order(StringComparer.Ordinal))
        {
            read.Errors.Add(specPath, $"uses ${{trialParameters.{name}}}, which no trialParameters entry defines");
        }
        for (var i = 0; i < trialParameters.Count; i++)
        {
            if (!used.Contains(trialParameters[i].Name))
            {
                read.Errors.Add($"{path}.trialParameters", $"'{trialParameters[i].Name}' is never used as ${{trialParameters.{trialParameters[i].Name}}} in the trial spec");
            }
        }
    }
}
