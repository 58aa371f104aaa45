using System.Text.Json.Nodes;
using Gantry.Sandbox.Store;

namespace Gantry.Sandbox.Api;

/// <summary>
/// The part of <c>/openapi/v3</c> kubectl reads before <c>apply</c>: one document per group version
/// whose PATCH operations carry <c>x-kubernetes-group-version-kind</c> and the <c>fieldValidation</c>
/// parameter, so kubectl leaves validation to the server. No schemas are published, so kubectl
/// computes JSON merge patches for custom resources (and its built-in rules for core types).
/// </summary>
internal static class OpenApiDocuments
{
    public static JsonObject Index(ResourceCatalog catalog, long version) => new()
    {
        ["paths"] = new JsonObject([.. catalog.Types.Select(Key).Distinct().Select(key =>
            KeyValuePair.Create(key, (JsonNode?)new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{key}?hash={version:X}" }))]),
    };

    public static JsonObject? GroupVersion(ResourceCatalog catalog, string key)
    {
        var types = catalog.Types.Where(t => Key(t) == key).ToList();
        if (types.Count == 0)
        {
            return null;
        }
        var paths = new JsonObject();
        foreach (var type in types)
        {
            var prefix = type.Group.Length == 0 ? "/api/v1" : $"/apis/{type.Group}/{type.Version}";
            var path = type.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{type.Plural}/{{name}}" : $"{prefix}/{type.Plural}/{{name}}";
            paths[path] = new JsonObject { ["patch"] = PatchOperation(type) };
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes (gantry sandbox)", ["version"] = "v1.32.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
        };
    }

    private static string Key(ResourceType type) => type.Group.Length == 0 ? $"api/{type.Version}" : $"apis/{type.Group}/{type.Version}";

    private static JsonObject PatchOperation(ResourceType type)
    {
        JsonObject Query(string name) => new() { ["name"] = name, ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true } };
        return new JsonObject
        {
            ["operationId"] = $"patch{type.Kind}",
            ["parameters"] = new JsonArray(Query("dryRun"), Query("fieldManager"), Query("fieldValidation")),
            ["requestBody"] = new JsonObject
            {
                ["content"] = new JsonObject
                {
                    ["application/json-patch+json"] = new JsonObject(),
                    ["application/merge-patch+json"] = new JsonObject(),
                    ["application/apply-patch+yaml"] = new JsonObject(),
                },
            },
            ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
            ["x-kubernetes-action"] = "patch",
            ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["kind"] = type.Kind },
        };
    }
}
