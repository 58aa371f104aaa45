using System.Text.Json.Nodes;

namespace Gantry.Sandbox.Api;

/// <summary>JSON patch (RFC 6902): add, remove, replace, move, copy and test at JSON pointers.</summary>
internal static class JsonPatch
{
    public static JsonNode Apply(JsonNode document, JsonNode patch)
    {
        if (patch is not JsonArray operations)
        {
            throw ApiErrors.BadRequest("a json patch must be an array of operations");
        }
        var root = new JsonObject { ["doc"] = document.DeepClone() };
        foreach (var operation in operations.OfType<JsonObject>())
        {
            var op = (string?)operation["op"] ?? throw ApiErrors.BadRequest("a json patch operation needs 'op'");
            var path = "/doc" + ((string?)operation["path"] ?? throw ApiErrors.BadRequest("a json patch operation needs 'path'"));
            switch (op)
            {
                case "add":
                    Add(root, path, operation["value"]?.DeepClone());
                    break;
                case "remove":
                    Remove(root, path);
                    break;
                case "replace":
                    Remove(root, path);
                    Add(root, path, operation["value"]?.DeepClone());
                    break;
                case "move":
                    var moved = Remove(root, "/doc" + (string?)operation["from"]);
                    Add(root, path, moved);
                    break;
                case "copy":
                    Add(root, path, Find(root, "/doc" + (string?)operation["from"])?.DeepClone());
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Find(root, path), operation["value"]))
                    {
                        throw new ApiException(422, "Invalid", $"the json patch test at '{operation["path"]}' failed");
                    }
                    break;
                default:
                    throw ApiErrors.BadRequest($"unknown json patch operation '{op}'");
            }
        }
        return root["doc"]!.DeepClone();
    }

    private static (JsonNode Parent, string Token) Locate(JsonNode root, string pointer)
    {
        var tokens = pointer.Split('/')[1..].Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
        var node = root;
        foreach (var token in tokens[..^1])
        {
            node = Child(node, token) ?? throw ApiErrors.BadRequest($"json patch path '{pointer[4..]}' does not exist");
        }
        return (node, tokens[^1]);
    }

    private static JsonNode? Find(JsonNode root, string pointer)
    {
        var (parent, token) = Locate(root, pointer);
        return Child(parent, token);
    }

    private static JsonNode? Child(JsonNode node, string token) => node switch
    {
        JsonObject obj => obj[token],
        JsonArray array when int.TryParse(token, out var i) && i >= 0 && i < array.Count => array[i],
        _ => null,
    };

    private static void Add(JsonNode root, string pointer, JsonNode? value)
    {
        var (parent, token) = Locate(root, pointer);
        switch (parent)
        {
            case JsonObject obj:
                obj[token] = value;
                break;
            case JsonArray array when token == "-":
                array.Add(value);
                break;
            case JsonArray array when int.TryParse(token, out var i) && i >= 0 && i <= array.Count:
                array.Insert(i, value);
                break;
            default:
                throw ApiErrors.BadRequest($"json patch cannot add at '{pointer[4..]}'");
        }
    }

    private static JsonNode? Remove(JsonNode root, string pointer)
    {
        var (parent, token) = Locate(root, pointer);
        var existing = Child(parent, token) ?? throw ApiErrors.BadRequest($"json patch path '{pointer[4..]}' does not exist");
        switch (parent)
        {
            case JsonObject obj:
                obj.Remove(token);
                break;
            case JsonArray array:
                array.RemoveAt(int.Parse(token, System.Globalization.CultureInfo.InvariantCulture));
                break;
        }
        return existing;
    }
}
