using Gantry.Kubernetes.Tests.Support;
using Gantry.Sandbox;
using Gantry.Testing;

namespace Gantry.Kubernetes.Tests.Routing;

/// <summary>
/// Placement across two sandbox clusters through a real gateway: the queue prefers cluster
/// "east" (label affinity), so a job goes elsewhere only when east cannot hold it.
/// </summary>
public sealed class RoutingTests(RoutingTests.Fleet fleet) : IClassFixture<RoutingTests.Fleet>
{
    public sealed class Fleet : IAsyncLifetime
    {
        internal FleetGateway Gateway { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            // east: 8 cores in all, but no node with more than 4; west: one 16-core node.
            Gateway = await FleetGateway.StartAsync(
                ("east", [new SandboxNode("east-1", "4", "16Gi"), new SandboxNode("east-2", "4", "16Gi")]),
                ("west", [new SandboxNode("west-1", "16", "64Gi")]));
            await Gateway.CreateQueueAsync(new { name = "prefer-east", policy = "LabelAffinity", affinity = new Dictionary<string, string> { ["region"] = "east" } });
        }

        public async Task DisposeAsync() => await Gateway.DisposeAsync();
    }

    [Fact]
    public async Task A_job_that_does_not_fit_the_preferred_cluster_lands_on_the_other()
    {
        using var client = fleet.Gateway.Gateway.Client();

        var small = await client.SubmitAsync(FleetJobs.Spark("prefer-east"));
        // 7 cores fit east's 8 in total, but its 6-core executor fits none of east's 4-core nodes.
        var wide = await client.SubmitAsync(FleetJobs.Spark("prefer-east", executorCores: 6));
        // 10 cores: more than east has at all.
        var large = await client.SubmitAsync(FleetJobs.Spark("prefer-east", executors: 3, executorCores: 3));

        var smallDone = await client.WaitForEndAsync(small.Id(), 120);
        var wideDone = await client.WaitForEndAsync(wide.Id(), 120);
        var largeDone = await client.WaitForEndAsync(large.Id(), 120);

        Assert.All(new[] { smallDone, wideDone, largeDone }, j => Assert.Equal("Succeeded", j.State()));
        Assert.Equal("east", smallDone.Cluster());
        Assert.Equal("west", wideDone.Cluster());
        Assert.Equal("west", largeDone.Cluster());
    }

    [Fact]
    public async Task A_saturated_cluster_spills_over_without_being_overcommitted()
    {
        using var client = fleet.Gateway.Gateway.Client();

        // Each job takes 2 cores (driver and one executor): east holds 4 of them at most, on its two nodes.
        // Submitted at once, and each runs long enough that none of east's ends before a slow machine
        // has placed all eight: east then takes at most 4 and the rest spill over.
        var jobs = (await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.SubmitAsync(FleetJobs.Spark("prefer-east", duration: "20s"))))).Select(j => j.Id()).ToList();
        var done = new List<System.Text.Json.Nodes.JsonObject>();
        foreach (var id in jobs)
        {
            done.Add(await client.WaitForEndAsync(id, 180));
        }

        Assert.All(done, j => Assert.Equal("Succeeded", j.State()));
        var east = done.Count(j => j.Cluster() == "east");
        var west = done.Count(j => j.Cluster() == "west");
        Assert.InRange(east, 1, 4);
        Assert.Equal(8 - east, west);
        Assert.True(west >= 4, $"east took {east} of 8 jobs of 20 s; it has room for 4 at once");
    }

    [Fact]
    public async Task Explain_quotes_the_cluster_for_a_placed_job_whose_pods_cannot_be_scheduled()
    {
        using var client = fleet.Gateway.Gateway.Client();
        var envelope = FleetJobs.Spark("prefer-east");
        // Gantry places by capacity; the node selector is the cluster's business, and no node has it.
        envelope["manifest"]!["spec"]!["nodeSelector"] = new System.Text.Json.Nodes.JsonObject { ["disk"] = "nvme" };
        var job = await client.SubmitAsync(envelope);
        await client.WaitForStateAsync(job.Id(), TimeSpan.FromSeconds(60), "Submitted");

        System.Text.Json.Nodes.JsonNode explain = null!;
        await ClusterLookups.EventuallyAsync(async () =>
        {
            explain = System.Text.Json.Nodes.JsonNode.Parse(await client.GetStringAsync($"api/v1/jobs/{job.Id()}/explain"))!;
            return explain["clusterSays"]!.AsArray().Any(x => x!.GetValue<string>().Contains("nodes are available", StringComparison.Ordinal));
        }, "explain quotes the cluster");

        Assert.Equal("Submitted", explain["state"]!.GetValue<string>());
        var said = explain["clusterSays"]!.AsArray().Select(x => x!.GetValue<string>()).ToList();
        Assert.Contains(said, s => s.StartsWith("driver: 0/", StringComparison.Ordinal) && s.Contains("didn't match Pod's node affinity/selector", StringComparison.Ordinal));
        Assert.Contains("didn't match Pod's node affinity/selector", explain["summary"]!.GetValue<string>(), StringComparison.Ordinal);
        (await client.PostAsync($"api/v1/jobs/{job.Id()}/cancel", null)).EnsureSuccessStatusCode();
        Assert.Equal("Cancelled", (await client.WaitForEndAsync(job.Id(), 120)).State());
    }
}
