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
        var job = await client.SubmitAsync(JaxJob("echo before $PROCESS_ID; sleep 2; echo after $PROCESS_ID"));
        await client.WaitForStateAsync(job.Id(), TimeSpan.FromSeconds(20), "Running");

        await gateway.RestartAsync();
        client = gateway.Client();
        var done = await client.WaitForEndAsync(job.Id());

        Assert.True(done.State() == "Succeeded", $"{done.State()}: {done["message"]}");
        Assert.Equal("all 2 workers succeeded", done["message"]!.GetValue<string>());
        Assert.Equal("before 1\nafter 1\n", await client.GetStringAsync($"api/v1/jobs/{job.Id()}/logs?replica=worker-1"));
    }

    [Fact]
    public async Task A_replica_that_failed_while_the_gateway_was_down_fails_the_job_naming_it()
    {
        await using var gateway = await TestGateway.StartAsync();
        var client = gateway.Client();
        var job = await client.SubmitAsync(JaxJob("sleep 1; [ $PROCESS_ID = 1 ] && exit 5; sleep 60"));
        await client.WaitForStateAsync(job.Id(), TimeSpan.FromSeconds(20), "Running");

        await gateway.StopAsync();
        await Task.Delay(2000);
        await gateway.RestartAsync();
        var done = await gateway.Client().WaitForEndAsync(job.Id());

        Assert.Equal("Failed", done.State());
        Assert.Equal("replica worker-1 failed with exit code 5; the other replicas were terminated", done["message"]!.GetValue<string>());
    }

    private static JsonObject JaxJob(string script)
    {
        var container = DistributedTrainingTests.Container("jax", ["sh", "-c", script], []);
        return DistributedTrainingTests.Envelope("JAXJob", "jaxReplicaSpecs", new JsonObject { ["Worker"] = DistributedTrainingTests.Replica(2, container) });
    }
}
