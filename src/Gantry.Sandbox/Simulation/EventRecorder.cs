using System.Text.Json.Nodes;
using Gantry.Sandbox.Api;
using Gantry.Sandbox.Hosting;
using Gantry.Sandbox.Store;

namespace Gantry.Sandbox.Simulation;

/// <summary>Writes core/v1 Events about an object, as components do (listable with <c>fieldSelector=involvedObject.name=...</c>).</summary>
internal static class EventRecorder
{
    public static void Record(ClusterState state, JsonObject about, string type, string reason, string message, string component)
    {
        var now = ObjectMeta.Timestamp(state.Time.GetUtcNow());
        var ns = about.Namespace().Length > 0 ? about.Namespace() : "default";
        var evt = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Event",
            ["metadata"] = new JsonObject { ["name"] = $"{about.Name()}.{Guid.NewGuid():N}"[..Math.Min(about.Name().Length + 17, 253)], ["namespace"] = ns },
            ["involvedObject"] = new JsonObject
            {
                ["apiVersion"] = about["apiVersion"]?.DeepClone(),
                ["kind"] = about["kind"]?.DeepClone(),
                ["name"] = about.Name(),
                ["namespace"] = about.Namespace(),
                ["uid"] = about.Uid(),
            },
            ["reason"] = reason,
            ["message"] = message,
            ["type"] = type,
            ["source"] = new JsonObject { ["component"] = component },
            ["firstTimestamp"] = now,
            ["lastTimestamp"] = now,
            ["count"] = 1,
        };
        try
        {
            state.Store.Create(BuiltInTypes.Events, evt);
        }
        catch (ApiException)
        {
            // An event is best effort, as in Kubernetes.
        }
    }
}
