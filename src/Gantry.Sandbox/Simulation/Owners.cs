using System.Text.Json.Nodes;
using Gantry.Sandbox.Api;
using Gantry.Sandbox.Hosting;
using Gantry.Sandbox.Store;

namespace Gantry.Sandbox.Simulation;

/// <summary>Helpers the simulated controllers share: owner references and idempotent creates.</summary>
internal static class Owners
{
    public static JsonArray ReferenceTo(JsonObject owner) =>
    [
        new JsonObject
        {
            ["apiVersion"] = owner["apiVersion"]?.DeepClone(),
            ["kind"] = owner["kind"]?.DeepClone(),
            ["name"] = owner.Name(),
            ["uid"] = owner.Uid(),
            ["controller"] = true,
            ["blockOwnerDeletion"] = true,
        },
    ];

    /// <summary>Creates <paramref name="obj"/> unless it exists; answers the stored object.</summary>
    public static JsonObject CreateOnce(ClusterState state, ResourceType type, JsonObject obj)
    {
        try
        {
            return state.Store.Create(type, obj);
        }
        catch (ApiException e) when (e.Code == 409)
        {
            return state.Store.Get(ObjectKey.For(type, obj.Namespace(), obj.Name())) ?? obj;
        }
    }

    /// <summary>Changes an object's status in place, as a controller writing <c>/status</c>; false when it is gone.</summary>
    public static bool UpdateStatus(ClusterState state, ResourceType type, JsonObject obj, Action<JsonObject> change)
    {
        try
        {
            state.Store.Update(type, ObjectKey.For(type, obj.Namespace(), obj.Name()), current =>
            {
                var status = current["status"] as JsonObject ?? [];
                current["status"] = status;
                change(status);
                return current;
            });
            return true;
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return false;
        }
    }

    public static void Terminate(ClusterState state, JsonObject pod, int exitCode, string? message, string? lastLine)
    {
        var log = state.Logs.Open(pod.Namespace(), pod.Name());
        if (lastLine is not null)
        {
            log.Append(state.Time.GetUtcNow(), lastLine);
        }
        log.Close();
        try
        {
            state.Store.Update(BuiltInTypes.Pods, ObjectKey.For(BuiltInTypes.Pods, pod.Namespace(), pod.Name()), current =>
            {
                PodStatus.Terminated(current, state.Time.GetUtcNow(), exitCode, message);
                return current;
            });
        }
        catch (ApiException e) when (e.Code == 404)
        {
            // Deleted already.
        }
    }
}
