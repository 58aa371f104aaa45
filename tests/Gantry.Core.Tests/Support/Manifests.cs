using Gantry.Core.Manifests;
using System.Text.Json.Nodes;
using Gantry.Core.Kinds;
using Gantry.Core.Resources;
using Gantry.Core.Validation;

namespace Gantry.Core.Tests.Support;

/// <summary>Builds manifests from YAML and runs a kind over them, asserting on the outcome.</summary>
internal static class Manifests
{
    public const long MiB = 1024 * 1024;
    public const long GiB = 1024 * MiB;

    public static JsonObject FromYaml(string yaml) => (JsonObject)YamlJson.Parse(yaml)!;

    /// <summary>Sets <paramref name="value"/> at a '/'-separated path (sparkConf keys contain dots), creating objects on the way.</summary>
    public static JsonObject Set(this JsonObject root, string path, JsonNode? value)
    {
        var parts = path.Split('/');
        var node = root;
        foreach (var part in parts[..^1])
        {
            if (node[part] is not JsonObject child)
            {
                child = [];
                node[part] = child;
            }
            node = child;
        }
        node[parts[^1]] = value;
        return root;
    }

    public static JsonObject Without(this JsonObject root, string path)
    {
        var parts = path.Split('/');
        var node = root;
        foreach (var part in parts[..^1])
        {
            node = (JsonObject)node[part]!;
        }
        node.Remove(parts[^1]);
        return root;
    }

    /// <summary>A JSON value from an [InlineData] argument, typed as the manifest would carry it.</summary>
    public static JsonNode Node(object value) => value switch
    {
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create((long)i),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        _ => throw new ArgumentException($"unsupported test value {value}", nameof(value)),
    };

    public static ResourceDemand AnalyzeValid(this IJobKind kind, JsonObject manifest)
    {
        var errors = new ValidationErrors();
        var demand = kind.Analyze(manifest, errors);
        Assert.True(errors.IsEmpty, "unexpected errors: " + Describe(errors));
        return demand;
    }

    public static IReadOnlyDictionary<string, string[]> AnalyzeErrors(this IJobKind kind, JsonObject manifest)
    {
        var errors = new ValidationErrors();
        kind.Analyze(manifest, errors);
        return errors.ToDictionary();
    }

    /// <summary>Asserts that <paramref name="field"/> has an error containing <paramref name="fragment"/>.</summary>
    public static void AssertError(IReadOnlyDictionary<string, string[]> errors, string field, string fragment)
    {
        Assert.True(errors.TryGetValue(field, out var messages),
            $"no error for {field}; errors were: {string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" | ", e.Value)}"))}");
        Assert.Contains(messages, m => m.Contains(fragment, StringComparison.Ordinal));
    }

    public static PodDemand Role(this ResourceDemand demand, string role) => Assert.Single(demand.Pods, p => p.Role == role);

    private static string Describe(ValidationErrors errors) =>
        string.Join("; ", errors.ToDictionary().Select(e => $"{e.Key}: {string.Join(" | ", e.Value)}"));
}
