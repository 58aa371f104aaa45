using System.Globalization;
using System.Text.Json.Nodes;

namespace Gantry.Sandbox.Store;

/// <summary>Reads and writes the <c>metadata</c> fields the sandbox cares about on a JSON object.</summary>
internal static class ObjectMeta
{
    public static JsonObject Metadata(this JsonObject obj)
    {
        if (obj["metadata"] is not JsonObject metadata)
        {
            metadata = [];
            obj["metadata"] = metadata;
        }
        return metadata;
    }

    public static string Name(this JsonObject obj) => Text(obj["metadata"]?["name"]) ?? "";

    public static string Namespace(this JsonObject obj) => Text(obj["metadata"]?["namespace"]) ?? "";

    public static string Uid(this JsonObject obj) => Text(obj["metadata"]?["uid"]) ?? "";

    public static string? ResourceVersion(this JsonObject obj) => Text(obj["metadata"]?["resourceVersion"]);

    public static IReadOnlyDictionary<string, string> Labels(this JsonObject obj) => StringMap(obj["metadata"]?["labels"]);

    public static IReadOnlyDictionary<string, string> Annotations(this JsonObject obj) => StringMap(obj["metadata"]?["annotations"]);

    public static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary>RFC 3339 with seconds, as Kubernetes writes timestamps.</summary>
    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static IReadOnlyDictionary<string, string> StringMap(JsonNode? node)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is JsonObject obj)
        {
            foreach (var (key, value) in obj)
            {
                map[key] = value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String ? v.GetValue<string>() : value?.ToJsonString() ?? "";
            }
        }
        return map;
    }
}
