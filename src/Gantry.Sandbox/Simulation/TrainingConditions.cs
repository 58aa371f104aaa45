using System.Text.Json.Nodes;
using Gantry.Sandbox.Store;

namespace Gantry.Sandbox.Simulation;

/// <summary>The Training Operator's condition bookkeeping: one per type, appended last, Running flipped False at the end.</summary>
internal static class TrainingConditions
{
    public static List<JsonObject> Read(JsonObject job) => [.. (job["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>()];

    public static bool Has(List<JsonObject> conditions, string type) =>
        conditions.Any(c => ObjectMeta.Text(c["type"]) == type && ObjectMeta.Text(c["status"]) == "True");

    public static bool IsFinished(List<JsonObject> conditions) => Has(conditions, "Succeeded") || Has(conditions, "Failed");

    public static JsonObject Make(string type, string reason, string message, DateTimeOffset now) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["reason"] = reason,
        ["message"] = message,
        ["lastUpdateTime"] = ObjectMeta.Timestamp(now),
        ["lastTransitionTime"] = ObjectMeta.Timestamp(now),
    };

    /// <summary>Replaces the condition of the same type (moving it last); a final condition sets Running to False.</summary>
    public static void Set(JsonObject status, JsonObject condition)
    {
        var type = ObjectMeta.Text(condition["type"]);
        var list = Read(new JsonObject { ["status"] = status.DeepClone() }).Where(c => ObjectMeta.Text(c["type"]) != type).ToList();
        if (type is "Succeeded" or "Failed")
        {
            foreach (var running in list.Where(c => ObjectMeta.Text(c["type"]) == "Running"))
            {
                running["status"] = "False";
                running["lastTransitionTime"] = condition["lastTransitionTime"]?.DeepClone();
            }
        }
        list.Add(condition);
        status["conditions"] = new JsonArray([.. list.Select(c => (JsonNode)c.DeepClone())]);
    }
}
