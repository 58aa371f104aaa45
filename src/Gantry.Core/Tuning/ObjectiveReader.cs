using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Core.Kinds;

namespace Gantry.Core.Tuning;

/// <summary>Reads <c>spec.objective</c> and fills in Katib's metric strategies (<c>experiment_defaults.go</c>).</summary>
internal static class ObjectiveReader
{
    public static Objective? Read(ManifestReader read, JsonObject? spec, string specPath, TuningLimits limits)
    {
        var path = $"{specPath}.objective";
        var node = read.Object(spec, specPath, "objective", required: spec is not null);
        if (node is null)
        {
            return null;
        }
        var before = read.Errors.Count;
        var typeText = read.String(node, path, "type", required: true);
        ObjectiveType? type = typeText switch
        {
            "minimize" => ObjectiveType.Minimize,
            "maximize" => ObjectiveType.Maximize,
            null => null,
            _ => null,
        };
        if (typeText is not null && type is null)
        {
            read.Errors.Add($"{path}.type", $"must be minimize or maximize, not '{typeText}'");
        }
        var metric = read.String(node, path, "objectiveMetricName", required: true);
        var goal = ReadGoal(read, node, path);
        var additional = ReadAdditional(read, node, path, metric, limits);
        var strategies = ReadStrategies(read, node, path, metric, additional, type);
        if (read.Errors.Count != before || type is null || metric is null)
        {
            return null;
        }
        return new Objective(type.Value, metric, goal, additional, strategies);
    }

    private static double? ReadGoal(ManifestReader read, JsonObject node, string path)
    {
        var text = read.Scalar(node, path, "goal");
        if (text is null)
        {
            return null;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var goal) && double.IsFinite(goal))
        {
            return goal;
        }
        read.Errors.Add($"{path}.goal", $"must be a number, not '{text}'");
        return null;
    }

    private static List<string> ReadAdditional(ManifestReader read, JsonObject node, string path, string? metric, TuningLimits limits)
    {
        var names = new List<string>();
        var array = read.Array(node, path, "additionalMetricNames");
        if (array is null)
        {
            return names;
        }
        if (array.Count + 1 > limits.MaxMetricNames)
        {
            read.Errors.Add($"{path}.additionalMetricNames", $"may name at most {limits.MaxMetricNames - 1} metrics, not {array.Count}");
            return names;
        }
        for (var i = 0; i < array.Count; i++)
        {
            var field = $"{path}.additionalMetricNames[{i}]";
            if (array[i] is not JsonValue v || v.GetValueKind() != JsonValueKind.String || string.IsNullOrWhiteSpace(v.GetValue<string>()))
            {
                read.Errors.Add(field, "must be a metric name");
                continue;
            }
            var name = v.GetValue<string>();
            if (name == metric)
            {
                read.Errors.Add(field, $"must not repeat the objective metric '{metric}'");
            }
            else if (names.Contains(name))
            {
                read.Errors.Add(field, $"'{name}' is listed twice");
            }
            else
            {
                names.Add(name);
            }
        }
        return names;
    }

    private static Dictionary<string, MetricStrategy> ReadStrategies(
        ManifestReader read, JsonObject node, string path, string? metric, List<string> additional, ObjectiveType? type)
    {
        var strategies = new Dictionary<string, MetricStrategy>(StringComparer.Ordinal);
        var array = read.Array(node, path, "metricStrategies");
        for (var i = 0; array is not null && i < array.Count; i++)
        {
            var field = $"{path}.metricStrategies[{i}]";
            if (array[i] is not JsonObject entry)
            {
                read.Errors.Add(field, "must be an object with name and value");
                continue;
            }
            var name = read.String(entry, field, "name", required: true);
            var value = read.String(entry, field, "value", required: true);
            if (name is null || value is null)
            {
                continue;
            }
            if (name != metric && !additional.Contains(name))
            {
                read.Errors.Add($"{field}.name", $"'{name}' is neither the objective metric nor an additional metric");
            }
            else if (strategies.ContainsKey(name))
            {
                read.Errors.Add($"{field}.name", $"'{name}' has a strategy already");
            }
            else if (Parse(value) is { } strategy)
            {
                strategies[name] = strategy;
            }
            else
            {
                read.Errors.Add($"{field}.value", $"must be min, max or latest, not '{value}'");
            }
        }
        if (type is { } t && metric is not null)
        {
            foreach (var name in additional.Prepend(metric))
            {
                strategies.TryAdd(name, Objective.DefaultStrategy(t));
            }
        }
        return strategies;
    }

    private static MetricStrategy? Parse(string text) => text switch
    {
        "min" => MetricStrategy.Min,
        "max" => MetricStrategy.Max,
        "latest" => MetricStrategy.Latest,
        _ => null,
    };
}
