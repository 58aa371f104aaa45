using System.Net;
using System.Text.Json.Nodes;
using Gantry.Testing;

namespace Gantry.Server.Tests.Api;

/// <summary>
/// Each test starts its own gateway whose local cluster offers 2 CPUs and 1 GiB, so fit and non-fit
/// are certain: free capacity, queue positions and the cordon are the gateway's whole state, and a
/// gateway shared with another test (or one that failed and left a job or a cordon behind) would
/// count that test's jobs.
/// </summary>
public sealed class ClustersAndExplainTests
{
    private static Task<TestGateway> SmallLocalAsync() =>
        TestGateway.StartAsync(new Dictionary<string, string?> { ["Gantry:Local:Cpu"] = "2", ["Gantry:Local:Memory"] = "1Gi" });

    [Fact]
    public async Task The_local_machine_is_the_cluster_named_local_with_its_capacity()
    {
        await using var gateway = await SmallLocalAsync();
        using var client = gateway.Client();

        var local = JsonNode.Parse(await client.GetStringAsync("api/v1/clusters"))!["items"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "local")!;

        Assert.Equal("local", local["type"]!.GetValue<string>());
        Assert.True(local["healthy"]!.GetValue<bool>());
        Assert.Equal(2000, local["capacity"]!["cpuMillicores"]!.GetValue<long>());
        Assert.Equal(1L << 30, local["capacity"]!["memoryBytes"]!.GetValue<long>());
        Assert.Contains("Command", local["kinds"]!.AsArray().Select(k => k!.GetValue<string>()));
    }

    [Fact]
    public async Task While_local_is_cordoned_jobs_wait_with_that_reason_and_run_once_it_is_uncordoned()
    {
        await using var gateway = await SmallLocalAsync();
        using var client = gateway.Client();
        await gateway.SetCordonAsync(true);
        var job = await client.SubmitAsync(TestJobs.Shell("true"));

        var waiting = await WaitForMessageAsync(client, job.Id(), "cordoned");
        var explain = JsonNode.Parse(await client.GetStringAsync($"api/v1/jobs/{job.Id()}/explain"))!;

        Assert.Equal("Queued", waiting.State());
        Assert.Equal("waiting: cluster local is cordoned", waiting["message"]!.GetValue<string>());
        Assert.Contains("cluster local is cordoned", explain["summary"]!.GetValue<string>());
        Assert.Equal("Cordoned", explain["code"]!.GetValue<string>());
        Assert.Contains("position 1 of 1", explain["summary"]!.GetValue<string>());
        var verdict = explain["clusters"]!.AsArray().Single()!;
        Assert.False(verdict["fits"]!.GetValue<bool>());
        Assert.Equal("cordoned", verdict["reason"]!.GetValue<string>());
        Assert.True((await client.GetAsync("api/v1/clusters/local")).IsSuccessStatusCode);
        Assert.True(JsonNode.Parse(await client.GetStringAsync("api/v1/clusters/local"))!["cordoned"]!.GetValue<bool>());

        await gateway.SetCordonAsync(false);

        Assert.Equal("Succeeded", (await client.WaitForEndAsync(job.Id())).State());
    }

    [Fact]
    public async Task A_job_that_does_not_fit_the_free_capacity_waits_with_what_is_missing_while_smaller_ones_pass_it()
    {
        await using var gateway = await SmallLocalAsync();
        using var client = gateway.Client();
        // Runs until cancelled, so the 1500m it holds cannot come back while the test looks.
        var hog = await client.SubmitAsync(TestJobs.Shell("sleep 600", cpu: "1500m", memory: "256Mi"));
        await client.WaitForStateAsync(hog.Id(), TimeSpan.FromSeconds(60), "Running");
        var big = await client.SubmitAsync(TestJobs.Shell("true", cpu: "1", memory: "256Mi"));

        // Only the hog and this job exist, so every round from now on sees exactly 500m free and
        // this job alone in the queue. A smaller job would change that while it runs, so it comes after.
        var bigWaiting = await WaitForMessageAsync(client, big.Id(), "needs");
        var explain = JsonNode.Parse(await client.GetStringAsync($"api/v1/jobs/{big.Id()}/explain"))!;

        Assert.Equal("waiting: local needs cpu 1, 500m free", bigWaiting["message"]!.GetValue<string>());
        Assert.Equal("Queued", explain["state"]!.GetValue<string>());
        Assert.Equal("Insufficient", explain["code"]!.GetValue<string>());
        Assert.Contains("position 1 of 1", explain["summary"]!.GetValue<string>());
        var verdict = explain["clusters"]!.AsArray().Single()!;
        Assert.Equal("needs cpu 1, 500m free", verdict["reason"]!.GetValue<string>());

        var small = await client.SubmitAsync(TestJobs.Shell("true", cpu: "100m", memory: "64Mi"));
        Assert.Equal("Succeeded", (await client.WaitForEndAsync(small.Id())).State());
        Assert.Equal("Queued", (await client.GetJobAsync(big.Id())).State());

        await client.PostAsync($"api/v1/jobs/{hog.Id()}/cancel", null);
        Assert.Equal("Succeeded", (await client.WaitForEndAsync(big.Id())).State());
    }

    [Fact]
    public async Task A_job_bigger_than_the_machine_fails_saying_so_instead_of_waiting_forever()
    {
        await using var gateway = await SmallLocalAsync();
        using var client = gateway.Client();
        var job = await client.SubmitAsync(TestJobs.Shell("true", cpu: "8", memory: "64Mi"));

        var done = await client.WaitForEndAsync(job.Id());

        Assert.Equal("Failed", done.State());
        Assert.Contains("bigger than every cluster", done["message"]!.GetValue<string>());
        Assert.Contains("cpu 8, 2 in total", done["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Explain_describes_a_job_that_is_no_longer_queued()
    {
        await using var gateway = await SmallLocalAsync();
        using var client = gateway.Client();
        var job = await client.SubmitAsync(TestJobs.Shell("exit 4"));
        await client.WaitForEndAsync(job.Id());

        var explain = JsonNode.Parse(await client.GetStringAsync($"api/v1/jobs/{job.Id()}/explain"))!;

        Assert.Equal("Failed", explain["state"]!.GetValue<string>());
        Assert.Equal("Failed: exit code 4", explain["summary"]!.GetValue<string>());
        Assert.Null(explain["queue"]!["position"]);
    }

    [Fact]
    public async Task Cancelling_a_queued_job_ends_it_at_once()
    {
        await using var gateway = await SmallLocalAsync();
        using var client = gateway.Client();
        await gateway.SetCordonAsync(true);
        var job = await client.SubmitAsync(TestJobs.Shell("true"));

        var response = await client.PostAsync($"api/v1/jobs/{job.Id()}/cancel", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cancelled = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Cancelled", cancelled["state"]!.GetValue<string>());
        Assert.Equal("cancelled by admin", cancelled["message"]!.GetValue<string>());
    }

    private static async Task<JsonObject> WaitForMessageAsync(HttpClient client, string id, string fragment)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        JsonObject job;
        do
        {
            job = await client.GetJobAsync(id);
            if (job["message"]!.GetValue<string>().Contains(fragment, StringComparison.Ordinal))
            {
                return job;
            }
            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);
        throw new TimeoutException($"job {id} message is '{job["message"]}', never mentioned '{fragment}'");
    }
}
