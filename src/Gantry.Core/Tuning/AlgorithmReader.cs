using System.Text.Json.Nodes;
using Gantry.Core.Kinds;
using Gantry.Core.Tuning.EarlyStopping;
using Gantry.Core.Validation;

namespace Gantry.Core.Tuning;

/// <summary>Reads <c>spec.algorithm</c> and <c>spec.earlyStopping</c>: a known name and settings that name's service accepts.</summary>
internal static class AlgorithmReader
{
    public static AlgorithmSpec? ReadAlgorithm(ManifestReader read, JsonObject? spec, string specPath, ValidationErrors unsupported)
    {
        var path = $"{specPath}.algorithm";
        var node = read.Object(spec, specPath, "algorithm", required: spec is not null);
        var algorithm = ReadSpec(read, node, path);
        if (algorithm is null)
        {
            return null;
        }
        if (algorithm.Name == AlgorithmNames.MedianStop || !AlgorithmRules.Settings.ContainsKey(algorithm.Name))
        {
            read.Errors.Add($"{path}.algorithmName",
                $"'{algorithm.Name}' is not a Katib algorithm; Gantry runs {string.Join(", ", AlgorithmNames.Supported)}");
            return null;
        }
        if (AlgorithmNames.NotSupportedYet.Contains(algorithm.Name))
        {
            unsupported.Add($"{path}.algorithmName",
                $"the {algorithm.Name} algorithm is not supported yet; Gantry runs {string.Join(", ", AlgorithmNames.Supported)}");
        }
        return CheckSettings(read, algorithm, path) ? algorithm : null;
    }

    public static MedianStopSettings? ReadEarlyStopping(ManifestReader read, JsonObject? spec, string specPath)
    {
        var path = $"{specPath}.earlyStopping";
        var node = read.Object(spec, specPath, "earlyStopping");
        var algorithm = ReadSpec(read, node, path);
        if (algorithm is null)
        {
            return null;
        }
        if (algorithm.Name != AlgorithmNames.MedianStop)
        {
            read.Errors.Add($"{path}.algorithmName", $"must be {AlgorithmNames.MedianStop} (Katib's only early-stopping algorithm), not '{algorithm.Name}'");
            return null;
        }
        return CheckSettings(read, algorithm, path) ? MedianStopSettings.From(algorithm) : null;
    }

    private static AlgorithmSpec? ReadSpec(ManifestReader read, JsonObject? node, string path)
    {
        if (node is null)
        {
            return null;
        }
        var before = read.Errors.Count;
        var name = read.String(node, path, "algorithmName", required: true);
        var settings = new List<KeyValuePair<string, string>>();
        var array = read.Array(node, path, "algorithmSettings");
        for (var i = 0; array is not null && i < array.Count; i++)
        {
            var field = $"{path}.algorithmSettings[{i}]";
            if (array[i] is not JsonObject entry)
            {
                read.Errors.Add(field, "must be an object with name and value");
                continue;
            }
            var key = read.String(entry, field, "name", required: true);
            var value = read.Scalar(entry, field, "value", required: true);
            if (key is not null && value is not null)
            {
                settings.Add(new(key, value));
            }
        }
        return name is null || read.Errors.Count != before ? null : new AlgorithmSpec(name, settings);
    }

    private static bool CheckSettings(ManifestReader read, AlgorithmSpec algorithm, string path)
    {
        var before = read.Errors.Count;
        var rules = AlgorithmRules.Settings[algorithm.Name];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < algorithm.Settings.Count; i++)
        {
            var (key, value) = algorithm.Settings[i];
            var field = $"{path}.algorithmSettings[{i}]";
            var rule = rules.FirstOrDefault(r => r.Name == key);
            if (rule is null)
            {
                var known = rules.Length == 0 ? "it takes none" : "it takes " + string.Join(", ", rules.Select(r => r.Name));
                read.Errors.Add($"{field}.name", $"'{key}' is not a setting of {algorithm.Name}; {known}");
            }
            else if (!seen.Add(key))
            {
                read.Errors.Add($"{field}.name", $"'{key}' is set twice");
            }
            else if (rule.Check(value) is { } problem)
            {
                read.Errors.Add($"{field}.value", $"{key} {problem}");
            }
        }
        if (AlgorithmRules.Required.TryGetValue(algorithm.Name, out var required))
        {
            foreach (var name in required.Where(n => !seen.Contains(n)))
            {
                read.Errors.Add($"{path}.algorithmSettings", $"{algorithm.Name} needs the setting {name}");
            }
        }
        return read.Errors.Count == before;
    }
}
