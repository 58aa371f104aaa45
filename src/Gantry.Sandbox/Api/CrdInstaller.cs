using System.Text.Json.Nodes;
using Gantry.Core.Schemas;
using Gantry.Sandbox.Hosting;
using Gantry.Sandbox.Store;

namespace Gantry.Sandbox.Api;

/// <summary>Turns stored CustomResourceDefinition objects into served resource types.</summary>
internal static class CrdInstaller
{
    /// <summary>Stores <paramref name="crd"/> (at start-up) and serves its resources.</summary>
    public static void Install(ClusterState state, JsonObject crd)
    {
        var stored = state.Store.Create(BuiltInTypes.CustomResourceDefinitions, crd);
        Serve(state, stored);
    }

    public static void Serve(ClusterState state, JsonObject crd)
    {
        CustomResourceDefinition definition;
        try
        {
            definition = CustomResourceDefinition.Parse(crd);
        }
        catch (FormatException e)
        {
            throw ApiErrors.BadRequest($"the CustomResourceDefinition is not usable: {e.Message}");
        }
        state.Catalog.Install(definition);
        var established = new JsonObject
        {
            ["conditions"] = new JsonArray(
                Condition("NamesAccepted", "NoConflicts", state.Time),
                Condition("Established", "InitialNamesAccepted", state.Time)),
            ["acceptedNames"] = crd["spec"]?["names"]?.DeepClone(),
            ["storedVersions"] = new JsonArray(definition.StorageVersion.Name),
        };
        state.Store.Update(BuiltInTypes.CustomResourceDefinitions, ObjectKey.For(BuiltInTypes.CustomResourceDefinitions, null, crd.Name()), current =>
        {
            current["status"] = established;
            return current;
        });
    }

    public static void Unserve(ClusterState state, JsonObject crd)
    {
        if (crd["spec"]?["group"] is JsonValue group && crd["spec"]?["names"]?["plural"] is JsonValue plural)
        {
            state.Catalog.Uninstall(group.GetValue<string>(), plural.GetValue<string>());
        }
    }

    private static JsonObject Condition(string type, string reason, TimeProvider time) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["reason"] = reason,
        ["message"] = "",
        ["lastTransitionTime"] = ObjectMeta.Timestamp(time.GetUtcNow()),
    };
}
