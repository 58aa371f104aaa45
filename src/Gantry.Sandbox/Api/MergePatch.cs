using System.Text.Json.Nodes;

namespace Gantry.Sandbox.Api;

/// <summary>JSON merge patch (RFC 7386): objects merge key by key, null removes, anything else replaces.</summary>
internal static class MergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }
        var result = target is JsonObject targetObject ? targetObject.DeepClone().AsObject() : [];
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                result[key] = Apply(result[key], value);
            }
        }
        return result;
    }
}
