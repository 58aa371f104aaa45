using System.Text.Json.Nodes;
using Gantry.Testing;

namespace Gantry.Kubernetes.Tests.Routing;

/// <summary>Submission envelopes of SparkApplications sized for routing tests (cores per pod decide where they fit).</summary>
internal static class FleetJobs
{
    /// <summary>A SparkApplication of a 1-core driver and <paramref name="executors"/> executors of <paramref name="executorCores"/> cores, running <paramref name="duration"/> in the sandbox.</summary>
    public static JsonObject Spark(string queue, int executors = 1, int executorCores = 1, string duration = "1s", int maxAttempts = 1)
    {
        var manifest = TestJobs.SparkApplication("routed");
        manifest["metadata"]!["annotations"] = new JsonObject { ["sandbox.gantry.io/duration"] = duration };
        manifest["spec"]!["executor"]!["instances"] = executors;
        manifest["spec"]!["executor"]!["cores"] = executorCores;
        return new JsonObject { ["manifest"] = manifest, ["queue"] = queue, ["maxAttempts"] = maxAttempts };
    }

    public static string Cluster(this JsonObject job) => job["cluster"]?.GetValue<string>() ?? "";

    public static async Task<JsonArray> EventsAsync(this HttpClient client, string id) =>
        JsonNode.Parse(await client.GetStringAsync($"api/v1/jobs/{id}/events"))!["items"]!.AsArray();
}
