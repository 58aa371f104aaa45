using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Gantry.Testing;

namespace Gantry.Server.Tests.Api;

public sealed class QueuesApiTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly TestGateway _gateway = fixture.Gateway;

    [Fact]
    public async Task The_default_queue_exists_from_the_start()
    {
        using var client = _gateway.Client();

        var queues = JsonNode.Parse(await client.GetStringAsync("api/v1/queues"))!["items"]!.AsArray();

        Assert.Contains(queues, q => q!["name"]!.GetValue<string>() == "default" && q["weight"]!.GetValue<double>() == 1);
    }

    [Fact]
    public async Task A_queue_shows_its_fair_share_of_the_pool_against_its_entitlement_from_the_last_round()
    {
        using var client = _gateway.Client();
        await _gateway.SetCordonAsync(false);
        var name = "fs-" + Guid.NewGuid().ToString("N")[..8];
        (await client.PostAsJsonAsync("api/v1/queues", new { name, weight = 3 })).EnsureSuccessStatusCode();
        var job = await client.SubmitAsync(TestJobs.Shell("sleep 600", queue: name, cpu: "1", memory: "64Mi"));
        await client.WaitForStateAsync(job.Id(), TimeSpan.FromSeconds(60), "Running");
        var local = JsonNode.Parse(await client.GetStringAsync("api/v1/clusters/local"))!["capacity"]!;
        var expected = Math.Max(1000.0 / local["cpuMillicores"]!.GetValue<long>(), (64.0 * 1024 * 1024) / local["memoryBytes"]!.GetValue<long>());

        // The round after the job started is the first that sees it held.
        JsonNode? share = null;
        for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline && share?["share"]?.GetValue<double>() is not > 0;)
        {
            await Task.Delay(100);
            share = JsonNode.Parse(await client.GetStringAsync($"api/v1/queues/{name}"))!["fairShare"];
        }
        var listed = JsonNode.Parse(await client.GetStringAsync("api/v1/queues"))!["items"]!.AsArray().Single(q => q!["name"]!.GetValue<string>() == name)!;
        await client.PostAsync($"api/v1/jobs/{job.Id()}/cancel", null);

        Assert.NotNull(share);
        Assert.Equal(expected, share["share"]!.GetValue<double>(), 6);
        Assert.True(share["demanding"]!.GetValue<bool>());
        Assert.InRange(share["entitlement"]!.GetValue<double>(), 0.01, 1.0);
        Assert.NotNull(listed["fairShare"]);
    }

    [Fact]
    public async Task An_admin_creates_updates_and_deletes_a_queue_with_quotas_and_a_cluster_selector()
    {
        using var client = _gateway.Client();
        var created = await client.PostAsJsonAsync("api/v1/queues", new
        {
            name = "ml-gpu",
            weight = 2.5,
            priority = 10,
            quota = new { cpu = "64", memory = "256Gi", gpu = 16, runningJobs = 20 },
            clusterSelector = new Dictionary<string, string> { ["gpu-type"] = "a100", ["region"] = "east" },
            policy = "BestFit",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var queue = JsonNode.Parse(await client.GetStringAsync("api/v1/queues/ml-gpu"))!;
        Assert.Equal(2.5, queue["weight"]!.GetValue<double>());
        Assert.Equal(10, queue["priority"]!.GetValue<int>());
        Assert.Equal("64", queue["quota"]!["cpu"]!.GetValue<string>());
        Assert.Equal("256Gi", queue["quota"]!["memory"]!.GetValue<string>());
        Assert.Equal(16, queue["quota"]!["gpu"]!.GetValue<long>());
        Assert.Equal(20, queue["quota"]!["runningJobs"]!.GetValue<int>());
        Assert.Equal("a100", queue["clusterSelector"]!["gpu-type"]!.GetValue<string>());
        Assert.Equal("BestFit", queue["policy"]!.GetValue<string>());

        var updated = await client.PutAsJsonAsync("api/v1/queues/ml-gpu", new { weight = 1, quota = new { gpu = 8 } });
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var after = JsonNode.Parse(await client.GetStringAsync("api/v1/queues/ml-gpu"))!;
        Assert.Equal(8, after["quota"]!["gpu"]!.GetValue<long>());
        Assert.Null(after["quota"]!["cpu"]);

        using (var jobs = _gateway.Client())
        {
            await _gateway.SetCordonAsync(true);
            var job = await jobs.SubmitAsync(TestJobs.Shell("true", queue: "ml-gpu"));
            Assert.Equal(HttpStatusCode.Conflict, (await client.DeleteAsync("api/v1/queues/ml-gpu")).StatusCode);
            await jobs.PostAsync($"api/v1/jobs/{job.Id()}/cancel", null);
        }
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("api/v1/queues/ml-gpu")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("api/v1/queues/ml-gpu")).StatusCode);
        var submitToDeleted = await client.PostAsJsonAsync("api/v1/jobs", TestJobs.Shell("true", queue: "ml-gpu"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, submitToDeleted.StatusCode);
    }

    [Theory]
    [InlineData("""{"name": "Bad Name"}""", "name")]
    [InlineData("""{"weight": 1}""", "name")]
    [InlineData("""{"name": "q1", "weight": -1}""", "weight")]
    [InlineData("""{"name": "q1", "weight": "heavy"}""", "weight")]
    [InlineData("""{"name": "q1", "priority": 1.5}""", "priority")]
    [InlineData("""{"name": "q1", "quota": {"cpu": "lots"}}""", "quota.cpu")]
    [InlineData("""{"name": "q1", "quota": {"memory": "-4Gi"}}""", "quota.memory")]
    [InlineData("""{"name": "q1", "quota": {"gpu": -1}}""", "quota.gpu")]
    [InlineData("""{"name": "q1", "quota": {"runningJobs": -3}}""", "quota.runningJobs")]
    [InlineData("""{"name": "q1", "quota": {"disks": 3}}""", "quota.disks")]
    [InlineData("""{"name": "q1", "clusterSelector": {"bad key!": "x"}}""", "clusterSelector.bad key!")]
    [InlineData("""{"name": "q1", "clusterSelector": {"region": 5}}""", "clusterSelector.region")]
    [InlineData("""{"name": "q1", "policy": "Random"}""", "policy")]
    [InlineData("""{"name": "q1", "color": "blue"}""", "color")]
    public async Task An_invalid_queue_answers_422_naming_the_field_and_is_not_stored(string body, string field)
    {
        using var client = _gateway.Client();

        var response = await client.PostAsync("api/v1/queues", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        await BadInputTests.AssertProblemNamesAsync(response, field);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("api/v1/queues/q1")).StatusCode);
    }

    [Fact]
    public async Task Creating_a_queue_twice_answers_409_and_the_default_queue_cannot_be_deleted()
    {
        using var client = _gateway.Client();
        await client.PostAsJsonAsync("api/v1/queues", new { name = "twice" });

        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync("api/v1/queues", new { name = "twice" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.DeleteAsync("api/v1/queues/default")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PutAsJsonAsync("api/v1/queues/absent", new { weight = 2 })).StatusCode);
    }
}
