using System.Text.Json.Nodes;
using Gantry.Testing;

namespace Gantry.Server.Tests.Local;

/// <summary>A training job's replicas outlive a gateway restart: the next gateway re-attaches to each and applies the status rule.</summary>
public sealed class TrainingRestartTests
{
    [Fact]
    public async Task A_JAXJob_running_across_a_restart_is_reattached_per_replica_and_succeeds_with_every_log()
    {
        await using var gateway = await TestGateway.StartAsync();
        var client = gateway.Client();
        // The replicas go on only once the new gateway is up, so they certainly run across the restart.
        var go = Marker();
        var job = await client.SubmitAsync(JaxJob($"echo before $PROCESS_ID; while [ ! -e {go} ]; do sleep 0.1; done; echo after $PROCESS_ID"));
        await client.WaitForStateAsync(job.Id(), TimeSpan.FromSeconds(60), "Running");

        await gateway.RestartAsync();
        await File.WriteAllTextAsync(go, "");
        client = gateway.Client();
        var done = await client.WaitForEndAsync(job.Id());
        File.Delete(go);

        Assert.True(done.State() == "Succeeded", $"{done.State()}: {done["message"]}");
        Assert.Equal("all 2 workers succeeded", done["message"]!.GetValue<string>());
        Assert.Equal("before 1\nafter 1\n", await client.GetStringAsync($"api/v1/jobs/{job.Id()}/logs?replica=worker-1"));
    }

    [Fact]
    public async Task A_replica_that_failed_while_the_gateway_was_down_fails_the_job_naming_it()
    {
        await using var gateway = await TestGateway.StartAsync();
        var client = gateway.Client();
        var go = Marker();
        var job = await client.SubmitAsync(JaxJob($"while [ ! -e {go} ]; do sleep 0.1; done; [ $PROCESS_ID = 1 ] && exit 5; sleep 600"));
        await client.WaitForStateAsync(job.Id(), TimeSpan.FromSeconds(60), "Running");

        await gateway.StopAsync();
        await File.WriteAllTextAsync(go, "");
        await WaitForExitFileAsync(gateway, job.Id(), "worker-1");
        await gateway.RestartAsync();
        var done = await gateway.Client().WaitForEndAsync(job.Id());
        File.Delete(go);

        Assert.Equal("Failed", done.State());
        Assert.Equal("replica worker-1 failed with exit code 5; the other replicas were terminated", done["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_replica_that_failed_while_the_gateway_was_down_is_restarted_by_the_next_one_counting_on()
    {
        await using var gateway = await TestGateway.StartAsync();
        var client = gateway.Client();
        // Run 1 fails at once, run 2 fails while the gateway is down, run 3 succeeds; the token stays in the environment.
        var go = Marker();
        var job = await client.SubmitAsync(JaxJob(
            "n=$(cat runs 2>/dev/null || echo 0); n=$((n+1)); echo $n > runs; echo run $n token ${#GANTRY_JOB_TOKEN}; " +
            $"[ $n = 1 ] && exit 1; [ $n = 2 ] && {{ while [ ! -e {go} ]; do sleep 0.1; done; exit 1; }}; exit 0",
            replicas: 1, restartPolicy: "OnFailure", backoffLimit: 5));
        await WaitForEventAsync(client, job.Id(), "worker-0 restarted (exit 1), 1/5");
        // Run 2 has begun (its shell removed run 1's exit code before starting it), so the exit code awaited below is run 2's.
        await Polling.UntilAsync(async () => (await client.GetStringAsync($"api/v1/jobs/{job.Id()}/logs")).Contains("run 2 ", StringComparison.Ordinal), "run 2 to start");

        await gateway.StopAsync();
        await File.WriteAllTextAsync(go, "");
        await WaitForExitFileAsync(gateway, job.Id(), "worker-0");
        await gateway.RestartAsync();
        client = gateway.Client();
        var done = await client.WaitForEndAsync(job.Id());
        File.Delete(go);

        Assert.True(done.State() == "Succeeded", $"{done.State()}: {done["message"]}");
        Assert.Contains("worker-0 restarted (exit 1), 2/5", await client.GetStringAsync($"api/v1/jobs/{job.Id()}/events"));
        var log = await client.GetStringAsync($"api/v1/jobs/{job.Id()}/logs");
        var runs = log.Split('\n').Where(l => l.StartsWith("run ", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, runs.Count);
        Assert.Single(runs.Select(r => r[(r.IndexOf(" token ", StringComparison.Ordinal) + 7)..]).Distinct());
        Assert.DoesNotContain("token 0", log);
    }

    private static async Task WaitForEventAsync(HttpClient client, string id, string reason)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(await client.GetStringAsync($"api/v1/jobs/{id}/events")).Contains(reason, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"no event '{reason}'");
            await Task.Delay(50);
        }
    }

    private static string Marker() => Path.Combine(Path.GetTempPath(), "gantry-go-" + Guid.NewGuid().ToString("N"));

    /// <summary>A replica's shell writes its exit code itself: once it is there, the replica certainly ended while the gateway was down.</summary>
    private static Task WaitForExitFileAsync(TestGateway gateway, string jobId, string replica)
    {
        var exitFile = Path.Combine(gateway.DataDir, "jobs", jobId, "replicas", replica, "exit_code");
        return Polling.UntilAsync(() => File.Exists(exitFile), $"{replica}'s exit code on disk");
    }

    private static JsonObject JaxJob(string script, int replicas = 2, string restartPolicy = "Never", int? backoffLimit = null)
    {
        var container = DistributedTrainingTests.Container("jax", ["sh", "-c", script], []);
        var replica = DistributedTrainingTests.Replica(replicas, container);
        replica["restartPolicy"] = restartPolicy;
        var envelope = DistributedTrainingTests.Envelope("JAXJob", "jaxReplicaSpecs", new JsonObject { ["Worker"] = replica });
        if (backoffLimit is { } limit)
        {
            envelope["manifest"]!["spec"]!["runPolicy"] = new JsonObject { ["backoffLimit"] = limit };
        }
        return envelope;
    }
}
