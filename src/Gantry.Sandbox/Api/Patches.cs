using System.Text.Json.Nodes;
using Gantry.Sandbox.Store;

namespace Gantry.Sandbox.Api;

/// <summary>Applies a PATCH body by its media type, refusing the ones kube-apiserver refuses.</summary>
internal static class Patches
{
    public static JsonNode? Apply(ResourceType type, string mediaType, JsonObject current, JsonNode patch) => mediaType switch
    {
        "application/merge-patch+json" => MergePatch.Apply(current, patch),
        "application/json-patch+json" => JsonPatch.Apply(current, patch),
        // Lists merge by key in a real strategic merge; replacing them is close enough for the sandbox's built-ins.
        "application/strategic-merge-patch+json" when !type.IsCustom => MergePatch.Apply(current, patch),
        // Server-side apply without field ownership: the applied intent is merged over what is stored.
        "application/apply-patch+yaml" => MergePatch.Apply(current, patch),
        _ => throw ApiErrors.UnsupportedMediaType(mediaType),
    };
}
