using System.Text.Json.Nodes;
using Gantry.Sandbox.Store;

namespace Gantry.Sandbox.Simulation;

/// <summary>The pod statuses a kubelet would report: pending, running, and terminated with an exit code.</summary>
internal static class PodStatus
{
    public static string Phase(JsonObject pod) => ObjectMeta.Text(pod["status"]?["phase"]) ?? "Pending";

    public static bool IsTerminal(JsonObject pod) => Phase(pod) is "Succeeded" or "Failed";

    public static string ContainerName(JsonObject pod) => ObjectMeta.Text(pod["spec"]?["containers"]?[0]?["name"]) ?? "main";

    public static void Running(JsonObject pod, DateTimeOffset now, string hostIp, string podIp)
    {
        var started = ObjectMeta.Timestamp(now);
        pod["status"] = new JsonObject
        {
            ["phase"] = "Running",
            ["conditions"] = Conditions(now, ready: true),
            ["hostIP"] = hostIp,
            ["podIP"] = podIp,
            ["startTime"] = started,
            ["qosClass"] = "Burstable",
            ["containerStatuses"] = new JsonArray(new JsonObject
            {
                ["name"] = ContainerName(pod),
                ["ready"] = true,
                ["started"] = true,
                ["restartCount"] = 0,
                ["image"] = ObjectMeta.Text(pod["spec"]?["containers"]?[0]?["image"]) ?? "",
                ["imageID"] = "",
                ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = started } },
            }),
        };
    }

    public static void Terminated(JsonObject pod, DateTimeOffset now, int exitCode, string? message)
    {
        var status = pod["status"] as JsonObject ?? [];
        pod["status"] = status;
        status["phase"] = exitCode == 0 ? "Succeeded" : "Failed";
        status["conditions"] = Conditions(now, ready: false);
        var terminated = new JsonObject
        {
            ["exitCode"] = exitCode,
            ["reason"] = exitCode == 0 ? "Completed" : "Error",
            ["startedAt"] = status["startTime"]?.DeepClone(),
            ["finishedAt"] = ObjectMeta.Timestamp(now),
        };
        if (message is not null)
        {
            terminated["message"] = message;
        }
        status["containerStatuses"] = new JsonArray(new JsonObject
        {
            ["name"] = ContainerName(pod),
            ["ready"] = false,
            ["started"] = false,
            ["restartCount"] = 0,
            ["image"] = ObjectMeta.Text(pod["spec"]?["containers"]?[0]?["image"]) ?? "",
            ["imageID"] = "",
            ["state"] = new JsonObject { ["terminated"] = terminated },
        });
    }

    public static DateTimeOffset? StartTime(JsonObject pod) =>
        DateTimeOffset.TryParse(ObjectMeta.Text(pod["status"]?["startTime"]), System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var started) ? started : null;

    private static JsonArray Conditions(DateTimeOffset now, bool ready)
    {
        var at = ObjectMeta.Timestamp(now);
        JsonObject Condition(string type, bool value) => new() { ["type"] = type, ["status"] = value ? "True" : "False", ["lastProbeTime"] = null, ["lastTransitionTime"] = at };
        return [Condition("PodScheduled", true), Condition("Initialized", true), Condition("ContainersReady", ready), Condition("Ready", ready)];
    }
}
