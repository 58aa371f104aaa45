using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Gantry.Testing;

/// <summary>Builders and waits for jobs in tests: read like the sentence they test.</summary>
public static class TestJobs
{
    /// <summary>The submission envelope of a Command job running <c>sh -c script</c>.</summary>
    public static JsonObject Shell(string script, string queue = "default", string cpu = "100m", string memory = "64Mi", JsonObject? labels = null) => new()
    {
        ["manifest"] = new JsonObject
        {
            ["kind"] = "Command",
            ["spec"] = new JsonObject
            {
                ["command"] = new JsonArray("sh", "-c", script),
                ["resources"] = new JsonObject { ["cpu"] = cpu, ["memory"] = memory },
            },
        },
        ["queue"] = queue,
        ["labels"] = labels ?? new JsonObject(),
    };

    /// <summary>A small SparkPi SparkApplication manifest (one driver, one executor) named <paramref name="name"/>.</summary>
    public static JsonObject SparkApplication(string name) => new()
    {
        ["apiVersion"] = "sparkoperator.k8s.io/v1beta2",
        ["kind"] = "SparkApplication",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["type"] = "Scala",
            ["mode"] = "cluster",
            ["image"] = "spark:3.5.3",
            ["mainClass"] = "org.apache.spark.examples.SparkPi",
            ["mainApplicationFile"] = "local:///opt/spark/examples/jars/spark-examples.jar",
            ["sparkVersion"] = "3.5.3",
            ["driver"] = new JsonObject { ["cores"] = 1, ["memory"] = "512m" },
            ["executor"] = new JsonObject { ["instances"] = 1, ["cores"] = 1, ["memory"] = "512m" },
        },
    };

    public static async Task<JsonObject> SubmitAsync(this HttpClient client, JsonObject envelope)
    {
        var response = await client.PostAsJsonAsync("api/v1/jobs", envelope);
        var body = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode != 201)
        {
            throw new InvalidOperationException($"Submit answered {(int)response.StatusCode}: {body}");
        }
        return JsonNode.Parse(body)!.AsObject();
    }

    public static async Task<JsonObject> GetJobAsync(this HttpClient client, string id)
    {
        var response = await client.GetAsync($"api/v1/jobs/{id}");
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>Polls until the job is in one of <paramref name="states"/>; fails with the last state seen after <paramref name="timeout"/>.</summary>
    public static async Task<JsonObject> WaitForStateAsync(this HttpClient client, string id, TimeSpan timeout, params string[] states)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonObject job;
        do
        {
            job = await client.GetJobAsync(id);
            if (states.Contains(job["state"]!.GetValue<string>()))
            {
                return job;
            }
            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);
        throw new TimeoutException($"Job {id} is {job["state"]} ({job["message"]}), not {string.Join("/", states)}, after {timeout}.");
    }

    public static Task<JsonObject> WaitForEndAsync(this HttpClient client, string id, int seconds = 120) =>
        client.WaitForStateAsync(id, TimeSpan.FromSeconds(seconds), "Succeeded", "Failed", "Cancelled");

    public static string Id(this JsonObject job) => job["id"]!.GetValue<string>();

    public static string State(this JsonObject job) => job["state"]!.GetValue<string>();
}
