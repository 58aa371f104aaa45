using System.Text.Json.Nodes;
using Gantry.Backends.Kubernetes;
using Gantry.Kubernetes.Tests.Support;
using Gantry.Sandbox;
using Gantry.Testing;

namespace Gantry.Kubernetes.Tests.Routing;

/// <summary>
/// Killing a cluster's API server through a real gateway: its jobs that had not started are
/// placed on the other cluster, a running job is retried there while it has attempts left, and
/// when the lost cluster answers again its stale copies are deleted before its operator can run
/// them: nothing runs twice.
/// </summary>
public sealed class FailoverTests
{
    [Fact]
    public async Task Killing_a_clusters_api_server_reroutes_its_jobs_and_nothing_runs_twice()
    {
        await using var fleet = await FleetGateway.StartAsync(
            ("east", [new SandboxNode("east-1", "16", "64Gi")]),
            ("west", [new SandboxNode("west-1", "16", "64Gi")]));
        var east = fleet["east"];
        using var eastAdmin = fleet.Admin("east");
        using var client = fleet.Gateway.Client();
        await fleet.CreateQueueAsync(new { name = "ft" });
        await fleet.CordonAsync("west", true);

        // Two jobs running on east, one allowed a second attempt; then east's operators stall, so
        // three more are created there but never start. The two run long enough that neither can
        // end on east while a slow machine is still waiting for the other to start.
        var retried = (await client.SubmitAsync(FleetJobs.Spark("ft", duration: "15s", maxAttempts: 2))).Id();
        var single = (await client.SubmitAsync(FleetJobs.Spark("ft", duration: "15s"))).Id();
        await client.WaitForStateAsync(retried, TimeSpan.FromSeconds(60), "Running");
        await client.WaitForStateAsync(single, TimeSpan.FromSeconds(60), "Running");
        east.Faults.OperatorsPaused = true;
        var waiting = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var id = (await client.SubmitAsync(FleetJobs.Spark("ft"))).Id();
            await client.WaitForStateAsync(id, TimeSpan.FromSeconds(60), "Submitted");
            waiting.Add(id);
        }
        Assert.All(await Task.WhenAll(waiting.Append(retried).Append(single).Select(client.GetJobAsync)), j => Assert.Equal("east", j.Cluster()));

        await fleet.CordonAsync("west", false);
        await east.StopAsync();
        await fleet.WaitUntilHealthyAsync("east", false);

        foreach (var id in waiting)
        {
            var done = await client.WaitForEndAsync(id, 120);
            Assert.Equal("Succeeded", done.State());
            Assert.Equal("west", done.Cluster());
            Assert.Equal(1, done["attempts"]!.GetValue<int>());
            var events = await client.EventsAsync(id);
            Assert.Contains(events, e => e!["from"]?.GetValue<string>() == "Submitted" && e["to"]!.GetValue<string>() == "Queued"
                && e["reason"]!.GetValue<string>().Contains("cluster east lost", StringComparison.Ordinal));
            Assert.Single(events, e => e!["to"]!.GetValue<string>() == "Running");
        }
        var retriedDone = await client.WaitForEndAsync(retried, 120);
        Assert.Equal("Succeeded", retriedDone.State());
        Assert.Equal("west", retriedDone.Cluster());
        Assert.Equal(2, retriedDone["attempts"]!.GetValue<int>());
        var singleDone = await client.WaitForEndAsync(single, 120);
        Assert.Equal("Failed", singleDone.State());
        Assert.Contains("no attempts left", singleDone["message"]!.GetValue<string>(), StringComparison.Ordinal);

        // East comes back with every copy it had: Gantry deletes them before its operator wakes up.
        await east.RestartAsync();
        await fleet.WaitUntilHealthyAsync("east", true);
        foreach (var id in waiting.Append(retried).Append(single))
        {
            var job = JobOf(id);
            await ClusterLookups.EventuallyAsync(async () => await eastAdmin.CopiesAsync(job) == 0, $"east's copy of {id} is deleted");
        }
        east.Faults.OperatorsPaused = false;
        await Task.Delay(TimeSpan.FromSeconds(1));
        foreach (var id in waiting)
        {
            Assert.Equal(0, await eastAdmin.PodCountAsync($"sparkoperator.k8s.io/app-name={GantryLabels.ResourceName(id)}"));
            Assert.Equal("Succeeded", (await client.GetJobAsync(id)).State());
        }
    }

    private static Core.Jobs.Job JobOf(string id) => KubeJobs.Spark() with { Id = id };
}
