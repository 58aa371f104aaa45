using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Sandbox.Store;

namespace Gantry.Sandbox.Simulation;

/// <summary>What a pod asks of a node (sum of its containers' requests; a limit stands in for a missing request) and what a node offers.</summary>
internal static class PodRequests
{
    public const string Gpu = "nvidia.com/gpu";

    public static Resources Of(JsonObject pod)
    {
        var total = Resources.Zero;
        foreach (var container in (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var requests = container["resources"]?["requests"] as JsonObject;
            var limits = container["resources"]?["limits"] as JsonObject;
            total += new Resources(
                Cpu(requests?["cpu"] ?? limits?["cpu"]),
                Bytes(requests?["memory"] ?? limits?["memory"]),
                (long)Cpu(requests?[Gpu] ?? limits?[Gpu]) / 1000);
        }
        return total;
    }

    public static Resources Allocatable(JsonObject node)
    {
        var allocatable = node["status"]?["allocatable"];
        return new Resources(Cpu(allocatable?["cpu"]), Bytes(allocatable?["memory"]), Cpu(allocatable?[Gpu]) / 1000);
    }

    private static long Cpu(JsonNode? quantity) =>
        Quantity.TryParseCpuMillis(Text(quantity), out var millis, out _) ? millis : 0;

    private static long Bytes(JsonNode? quantity) =>
        Quantity.TryParseBytes(Text(quantity), out var bytes, out _) ? bytes : 0;

    private static string Text(JsonNode? quantity) => quantity is null ? "" : ObjectMeta.Text(quantity) ?? quantity.ToJsonString();
}
