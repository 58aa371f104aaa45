using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Core.Kinds;
using Gantry.Core.Validation;

namespace Gantry.Core.Tuning;

/// <summary>
/// Reads <c>spec.parameters</c> with Katib's rules: int and double need min and max and forbid a
/// list; discrete and categorical need a list and forbid min, max and step. Values are strings in
/// Katib's API; plain YAML numbers are accepted too.
/// </summary>
internal static class ParameterReader
{
    public static List<Parameter>? ReadAll(ManifestReader read, JsonObject? spec, string specPath, TuningLimits limits, ValidationErrors unsupported)
    {
        if (spec is null)
        {
            return null;
        }
        var path = $"{specPath}.parameters";
        if (spec["nasConfig"] is not null)
        {
            unsupported.Add($"{specPath}.nasConfig", "neural architecture search (nasConfig, enas, darts) is not supported yet");
        }
        var array = read.Array(spec, specPath, "parameters", required: spec["nasConfig"] is null);
        if (array is null)
        {
            return null;
        }
        if (array.Count == 0)
        {
            read.Errors.Add(path, "must list at least one parameter");
            return null;
        }
        if (array.Count > limits.MaxParameters)
        {
            read.Errors.Add(path, $"may hold at most {limits.MaxParameters} parameters, not {array.Count}");
            return null;
        }
        var before = read.Errors.Count;
        var parameters = new List<Parameter>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < array.Count; i++)
        {
            var field = $"{path}[{i}]";
            if (array[i] is not JsonObject node)
            {
                read.Errors.Add(field, "must be an object");
                continue;
            }
            var parameter = ReadOne(read, node, field, limits);
            if (parameter is null)
            {
                continue;
            }
            if (!names.Add(parameter.Name))
            {
                read.Errors.Add($"{field}.name", $"'{parameter.Name}' names another parameter already");
                continue;
            }
            parameters.Add(parameter);
        }
        return read.Errors.Count == before ? parameters : null;
    }

    private static Parameter? ReadOne(ManifestReader read, JsonObject node, string field, TuningLimits limits)
    {
        var before = read.Errors.Count;
        var name = read.String(node, field, "name", required: true);
        var typeText = read.String(node, field, "parameterType", required: true);
        ParameterType? type = typeText switch
        {
            "double" => ParameterType.Double,
            "int" => ParameterType.Int,
            "discrete" => ParameterType.Discrete,
            "categorical" => ParameterType.Categorical,
            _ => null,
        };
        if (typeText is not null && type is null)
        {
            read.Errors.Add($"{field}.parameterType", $"must be double, int, discrete or categorical, not '{typeText}'");
        }
        var spacePath = $"{field}.feasibleSpace";
        var space = read.Object(node, field, "feasibleSpace", required: true);
        if (space is not null && space.Count == 0)
        {
            read.Errors.Add(spacePath, "must not be empty");
            return null;
        }
        if (space is null || type is null || name is null || read.Errors.Count != before)
        {
            return null;
        }
        return type is ParameterType.Double or ParameterType.Int
            ? ReadRange(read, space, spacePath, name, type.Value)
            : ReadList(read, space, spacePath, name, type.Value, limits);
    }

    private static Parameter? ReadRange(ManifestReader read, JsonObject space, string path, string name, ParameterType type)
    {
        var before = read.Errors.Count;
        if (space["list"] is not null)
        {
            read.Errors.Add($"{path}.list", $"must not be set for a {Word(type)} parameter (use min and max)");
        }
        var min = Number(read, space, path, "min", type, required: true, out var minText);
        var max = Number(read, space, path, "max", type, required: true, out _);
        var step = Number(read, space, path, "step", type, required: false, out var stepText);
        var distribution = ReadDistribution(read, space, path);
        if (min is { } lo && max is { } hi && lo > hi)
        {
            read.Errors.Add($"{path}.max", $"must be at least min ({minText}), not {hi.ToString(CultureInfo.InvariantCulture)}");
        }
        if (step is <= 0)
        {
            read.Errors.Add($"{path}.step", "must be greater than 0");
        }
        // A log scale of a range reaching 0 has no meaning; Katib's suggestion pod crashed on it (kubeflow/katib#2678).
        if (distribution is Distribution.LogUniform or Distribution.LogNormal && min is <= 0)
        {
            read.Errors.Add($"{path}.min", $"must be greater than 0 for the {Text(distribution.Value)} distribution");
        }
        if (read.Errors.Count != before || min is null || max is null || distribution is null)
        {
            return null;
        }
        var decimals = type == ParameterType.Int ? 0 : stepText is null ? (int?)null : Math.Max(DecimalsOf(minText!), DecimalsOf(stepText));
        return new Parameter(name, type, min.Value, max.Value, step, [], distribution.Value, decimals);
    }

    private static Parameter? ReadList(ManifestReader read, JsonObject space, string path, string name, ParameterType type, TuningLimits limits)
    {
        var before = read.Errors.Count;
        foreach (var forbidden in new[] { "min", "max", "step" })
        {
            if (space[forbidden] is not null)
            {
                read.Errors.Add($"{path}.{forbidden}", $"must not be set for a {Word(type)} parameter (use list)");
            }
        }
        var array = read.Array(space, path, "list", required: true);
        if (array is null)
        {
            return null;
        }
        if (array.Count == 0 || array.Count > limits.MaxListValues)
        {
            read.Errors.Add($"{path}.list", $"must hold 1 to {limits.MaxListValues} values, not {array.Count}");
            return null;
        }
        var values = new List<string>();
        for (var i = 0; i < array.Count; i++)
        {
            var text = array[i] is JsonValue v && v.GetValueKind() is JsonValueKind.String or JsonValueKind.Number
                ? v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString()
                : null;
            if (text is null)
            {
                read.Errors.Add($"{path}.list[{i}]", "must be a string or a number");
            }
            else if (type == ParameterType.Discrete && !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                read.Errors.Add($"{path}.list[{i}]", $"must be a number for a discrete parameter, not '{text}'");
            }
            else if (values.Contains(text))
            {
                read.Errors.Add($"{path}.list[{i}]", $"'{text}' is listed twice");
            }
            else
            {
                values.Add(text);
            }
        }
        if (space["distribution"] is not null)
        {
            ReadDistribution(read, space, path);
        }
        return read.Errors.Count == before ? new Parameter(name, type, 0, 0, null, values, Distribution.Uniform, null) : null;
    }

    private static double? Number(ManifestReader read, JsonObject space, string path, string key, ParameterType type, bool required, out string? text)
    {
        text = read.Scalar(space, path, key, required);
        if (text is null)
        {
            return null;
        }
        if (type == ParameterType.Int)
        {
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole) && Math.Abs(whole) < (1L << 53))
            {
                return whole;
            }
            read.Errors.Add($"{path}.{key}", $"must be a whole number for an int parameter, not '{text}'");
            return null;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real))
        {
            return real;
        }
        read.Errors.Add($"{path}.{key}", $"must be a number, not '{text}'");
        return null;
    }

    private static Distribution? ReadDistribution(ManifestReader read, JsonObject space, string path)
    {
        var text = read.String(space, path, "distribution");
        switch (text)
        {
            case null or "" or "uniform":
                return Distribution.Uniform;
            case "logUniform":
                return Distribution.LogUniform;
            case "normal":
                return Distribution.Normal;
            case "logNormal":
                return Distribution.LogNormal;
            default:
                read.Errors.Add($"{path}.distribution", $"must be uniform, logUniform, normal or logNormal, not '{text}'");
                return null;
        }
    }

    public static string Text(Distribution distribution) => distribution switch
    {
        Distribution.LogUniform => "logUniform",
        Distribution.Normal => "normal",
        Distribution.LogNormal => "logNormal",
        _ => "uniform",
    };

    private static string Word(ParameterType type) => type.ToString().ToLowerInvariant();

    private static int DecimalsOf(string text) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value.Scale : 15;
}
