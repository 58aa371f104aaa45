using System.Text.Json.Nodes;
using Gantry.Sandbox.Store;

namespace Gantry.Sandbox.Api;

/// <summary>The legacy discovery documents kubectl and client libraries read: /version, /api, /apis and each group version.</summary>
internal static class Discovery
{
    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = "v1.32.0-gantry-sandbox",
        ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2025-01-01T00:00:00Z",
        ["goVersion"] = "go1.23",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    public static JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public static JsonObject Groups(ResourceCatalog catalog) => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray([.. catalog.Types.Where(t => t.Group.Length > 0).Select(t => t.Group).Distinct().Order(StringComparer.Ordinal)
            .Select(g => (JsonNode)GroupBody(catalog, g))]),
    };

    public static JsonObject? Group(ResourceCatalog catalog, string group)
    {
        if (!catalog.Types.Any(t => t.Group == group))
        {
            return null;
        }
        var body = GroupBody(catalog, group);
        body["kind"] = "APIGroup";
        body["apiVersion"] = "v1";
        return body;
    }

    public static JsonObject? Resources(ResourceCatalog catalog, string group, string version)
    {
        var types = catalog.Types.Where(t => t.Group == group && t.Version == version).ToList();
        if (types.Count == 0)
        {
            return null;
        }
        var resources = new JsonArray();
        foreach (var type in types)
        {
            resources.Add(Resource(type, type.Plural, type.Verbs));
            if (type.HasStatus)
            {
                resources.Add(Resource(type, $"{type.Plural}/status", ["get", "patch", "update"]));
            }
            foreach (var sub in type.Subresources)
            {
                resources.Add(Resource(type, $"{type.Plural}/{sub}", sub == "token" ? ["create"] : ["get"]));
            }
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    private static JsonObject GroupBody(ResourceCatalog catalog, string group)
    {
        var versions = catalog.Types.Where(t => t.Group == group).Select(t => t.Version).Distinct().ToList();
        JsonObject Version(string v) => new() { ["groupVersion"] = $"{group}/{v}", ["version"] = v };
        return new JsonObject
        {
            ["name"] = group,
            ["versions"] = new JsonArray([.. versions.Select(v => (JsonNode)Version(v))]),
            ["preferredVersion"] = Version(versions[0]),
        };
    }

    private static JsonObject Resource(ResourceType type, string name, IReadOnlyList<string> verbs)
    {
        var main = !name.Contains('/', StringComparison.Ordinal);
        var resource = new JsonObject
        {
            ["name"] = name,
            ["singularName"] = main ? type.Singular : "",
            ["namespaced"] = type.Namespaced,
            ["kind"] = type.Kind,
            ["verbs"] = new JsonArray([.. verbs.Select(v => (JsonNode)v)]),
        };
        if (main && type.ShortNames.Count > 0)
        {
            resource["shortNames"] = new JsonArray([.. type.ShortNames.Select(s => (JsonNode)s)]);
        }
        if (main && type.Categories.Count > 0)
        {
            resource["categories"] = new JsonArray([.. type.Categories.Select(s => (JsonNode)s)]);
        }
        return resource;
    }
}
