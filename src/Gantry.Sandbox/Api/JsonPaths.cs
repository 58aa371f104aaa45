using System.Text.Json.Nodes;

namespace Gantry.Sandbox.Api;

/// <summary>The small JSONPath subset printer columns use: <c>.status.state</c>, <c>.status.conditions[-1:].type</c>, <c>.items[0]</c>.</summary>
internal static class JsonPaths
{
    public static JsonNode? Select(JsonNode? node, string path)
    {
        foreach (var part in path.TrimStart('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            var name = bracket < 0 ? part : part[..bracket];
            if (name.Length > 0)
            {
                node = node is JsonObject obj ? obj[name] : null;
            }
            if (bracket >= 0)
            {
                node = Index(node, part[(bracket + 1)..^1]);
            }
        }
        return node;
    }

    private static JsonNode? Index(JsonNode? node, string index)
    {
        if (node is not JsonArray array || array.Count == 0)
        {
            return null;
        }
        var start = index.Split(':')[0];
        if (!int.TryParse(start, System.Globalization.CultureInfo.InvariantCulture, out var i))
        {
            return null;
        }
        i = i < 0 ? array.Count + i : i;
        return i >= 0 && i < array.Count ? array[i] : null;
    }
}
