using Gantry.Core.Manifests;
using System.Text.Json.Nodes;

namespace Gantry.Core.Tests.Support;

/// <summary>The operators' own example manifests in shared/examples, read at test time (not copied into the repository).</summary>
internal static class ExampleManifests
{
    /// <summary>Names of the .yaml files under <c>shared/examples/&lt;operator&gt;</c>.</summary>
    public static TheoryData<string> Files(string operatorName) => [.. FileNames(operatorName)];

    public static IReadOnlyList<string> FileNames(string operatorName) =>
        [.. Directory.GetFiles(SharedPaths.Examples(operatorName), "*.yaml")
            .Select(path => Path.GetFileName(path))
            .Order(StringComparer.Ordinal)];

    /// <summary>
    /// Upstream's spark-pi-prometheus.yaml is a template: its image is
    /// <c>{IMAGE_REGISTRY}/{IMAGE_REPOSITORY}/...</c>, which YAML reads as a flow mapping and rejects.
    /// The operator's e2e setup fills these in before applying it; so do the tests.
    /// </summary>
    public static string FillImagePlaceholders(string yaml) =>
        yaml.Replace("{IMAGE_REGISTRY}", "registry.example.com", StringComparison.Ordinal)
            .Replace("{IMAGE_REPOSITORY}", "gantry", StringComparison.Ordinal);

    public static string ReadText(string operatorName, string file) =>
        File.ReadAllText(Path.Combine(SharedPaths.Examples(operatorName), file));

    /// <summary>The documents of <paramref name="file"/> whose kind is one of <paramref name="kinds"/>.</summary>
    public static IReadOnlyList<JsonObject> Load(string operatorName, string file, params string[] kinds)
    {
        var yaml = FillImagePlaceholders(ReadText(operatorName, file));
        return [.. YamlJson.ParseAll(yaml, DocumentLimits.Files)
            .OfType<JsonObject>()
            .Where(doc => doc["kind"] is JsonValue kind && kinds.Contains(kind.GetValue<string>()))];
    }
}
