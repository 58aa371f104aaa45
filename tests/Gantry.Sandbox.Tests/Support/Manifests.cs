using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Core.Manifests;

namespace Gantry.Sandbox.Tests.Support;

/// <summary>Small manifests for tests, and the operators' example manifests from shared/examples.</summary>
internal static class Manifests
{
    public const string SparkGroup = "sparkoperator.k8s.io";
    public const string SparkVersion = "v1beta2";
    public const string SparkPlural = "sparkapplications";

    public static JsonObject Spark(string name, int executors = 1, string? duration = null, string? fail = null, JsonObject? labels = null)
    {
        var annotations = new JsonObject();
        if (duration is not null)
        {
            annotations["sandbox.gantry.io/duration"] = duration;
        }
        if (fail is not null)
        {
            annotations["sandbox.gantry.io/fail"] = fail;
        }
        return new JsonObject
        {
            ["apiVersion"] = "sparkoperator.k8s.io/v1beta2",
            ["kind"] = "SparkApplication",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = labels ?? new JsonObject(), ["annotations"] = annotations },
            ["spec"] = new JsonObject
            {
                ["type"] = "Scala",
                ["mode"] = "cluster",
                ["image"] = "spark:4.0.0",
                ["mainClass"] = "org.apache.spark.examples.SparkPi",
                ["mainApplicationFile"] = "local:///opt/spark/examples/jars/spark-examples.jar",
                ["sparkVersion"] = "4.0.0",
                // Small requests (100m CPU) so that many tests' applications fit the shared cluster at once.
                ["driver"] = new JsonObject { ["cores"] = 1, ["coreRequest"] = "100m", ["memory"] = "512m" },
                ["executor"] = new JsonObject { ["instances"] = executors, ["cores"] = 1, ["coreRequest"] = "100m", ["memory"] = "512m" },
            },
        };
    }

    /// <summary>The documents of an example file (image placeholders of the templated one filled in, as the operator's e2e setup does).</summary>
    public static IReadOnlyList<JsonObject> Example(string operatorName, string file)
    {
        var yaml = File.ReadAllText(Path.Combine(SharedFiles.Examples(operatorName), file))
            .Replace("{IMAGE_REGISTRY}", "registry.example.com", StringComparison.Ordinal)
            .Replace("{IMAGE_REPOSITORY}", "gantry", StringComparison.Ordinal);
        return [.. YamlJson.ParseAll(yaml, DocumentLimits.Files).OfType<JsonObject>()];
    }

    public static TheoryData<string> ExampleFiles(string operatorName) =>
        [.. Directory.GetFiles(SharedFiles.Examples(operatorName), "*.yaml").Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal)];

    public static JsonObject AsNode(object obj) => JsonSerializer.SerializeToNode(obj)!.AsObject();

    public static string? Text(this JsonNode? node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject o ? o[part] : null;
        }
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : node?.ToJsonString();
    }
}
