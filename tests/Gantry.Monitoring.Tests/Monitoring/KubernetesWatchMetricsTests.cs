using System.Text.Json.Nodes;
using Gantry.Monitoring.Tests.Support;
using Gantry.Sandbox;
using Gantry.Testing;

namespace Gantry.Monitoring.Tests.Monitoring;

/// <summary>The Kubernetes informers' lists and reconnects, counted per cluster and kind, through a gateway following a sandbox cluster.</summary>
public sealed class KubernetesWatchMetricsTests
{
    [Fact]
    public async Task Lists_and_reconnects_of_the_informers_are_counted_by_cluster_kind_and_reason()
    {
        await using var cluster = await SandboxCluster.StartAsync(new SandboxClusterOptions
        {
            Name = "watched",
            Nodes = [new SandboxNode("node-1", "8", "32Gi")],
            Tick = TimeSpan.FromMilliseconds(50),
        }, CancellationToken.None);
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>
        {
            ["Gantry:Kubernetes:RefreshMilliseconds"] = "200",
            ["Gantry:Kubernetes:ResyncSeconds"] = "3600",
            // Watches end every second, so each one is followed by a reconnect from its version.
            ["Gantry:Kubernetes:WatchTimeoutSeconds"] = "1",
        });
        using var admin = gateway.Client();
        await admin.RegisterAsync(cluster, "watched");
        await gateway.SetCordonAsync(true);
        // A job on the cluster starts its informers.
        var job = await admin.SubmitAsync(new JsonObject { ["manifest"] = TestJobs.SparkApplication("watched-pi"), ["queue"] = "default" });
        await admin.WaitForEndAsync(job.Id());

        var initial = await gateway.ScrapeUntilAsync(
            // Each kind's informer lists on its own; wait for both kinds looked at below.
            s => s.Value("gantry_kubernetes_relists_total", ("cluster", "watched"), ("kind", "SparkApplication"), ("reason", "initial")) == 1
                && s.Value("gantry_kubernetes_relists_total", ("cluster", "watched"), ("kind", "PyTorchJob"), ("reason", "initial")) is not null,
            "the first list of SparkApplications and of PyTorchJobs");
        Assert.Equal(1, initial.Value("gantry_kubernetes_relists_total", ("cluster", "watched"), ("kind", "PyTorchJob"), ("reason", "initial")));
        Assert.Null(initial.Value("gantry_kubernetes_relists_total", ("cluster", "watched"), ("kind", "SparkApplication"), ("reason", "expired")));

        var reconnected = await gateway.ScrapeUntilAsync(
            s => s.Value("gantry_kubernetes_watch_reconnects_total", ("cluster", "watched"), ("kind", "SparkApplication"), ("cause", "closed")) >= 1,
            "a watch reopened after the server closed it");

        // A cut stream is a failed call: the informer lists again rather than resume. Only open
        // streams are cut, and on a busy machine the SparkApplication informer may sit between two
        // one-second watches at the moment of the cut, so cut again until one of its watches is hit.
        var after = await gateway.ScrapeUntilAsync(
            s =>
            {
                if (s.Value("gantry_kubernetes_relists_total", ("cluster", "watched"), ("kind", "SparkApplication"), ("reason", "error")) >= 1)
                {
                    return true;
                }
                cluster.Faults.DropWatches();
                return false;
            },
            "a list after a cut watch");
        Assert.True(after.Value("gantry_cluster_healthy", ("cluster", "watched")) == 1);
    }
}
