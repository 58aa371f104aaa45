using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gantry.Core.Kinds;

/// <summary>
/// A SparkApplication's <c>spec.sparkConf</c>: string settings that can stand in for spec fields
/// (the operator only fills a default when the matching conf key is absent).
/// </summary>
internal sealed class SparkConf
{
    private const string ConfPath = "manifest.spec.sparkConf";

    private readonly Dictionary<string, string> _values;

    private SparkConf(Dictionary<string, string> values)
    {
        _values = values;
    }

    public static SparkConf Read(ManifestReader read, JsonObject? spec)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var conf = read.Object(spec, "manifest.spec", "sparkConf");
        foreach (var (key, node) in conf ?? [])
        {
            // The CRD declares map[string]string; an unquoted number would be rejected by the API server.
            if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
            {
                values[key] = value.GetValue<string>();
            }
            else
            {
                read.Errors.Add(PathOf(key), "must be a string (quote numbers and booleans in sparkConf)");
            }
        }
        return new SparkConf(values);
    }

    public static string PathOf(string key) => $"{ConfPath}.{key}";

    /// <summary>The setting's text and the path to blame if it is wrong, or null when absent.</summary>
    public SparkSetting? Get(string key) =>
        _values.TryGetValue(key, out var text) ? new SparkSetting(text, PathOf(key)) : null;

    public bool IsTrue(string key) =>
        _values.TryGetValue(key, out var text) && text.Trim().Equals("true", StringComparison.OrdinalIgnoreCase);

    public long? Integer(ManifestReader read, string key, long min)
    {
        if (Get(key) is not { } setting)
        {
            return null;
        }
        if (long.TryParse(setting.Text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            && number >= min && number <= int.MaxValue)
        {
            return number;
        }
        read.Errors.Add(setting.Path, $"'{setting.Text}' must be a whole number from {min} to {int.MaxValue}");
        return null;
    }
}
