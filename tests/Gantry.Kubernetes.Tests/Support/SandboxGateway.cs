using System.Text.Json.Nodes;
using Gantry.Sandbox;
using Gantry.Testing;

namespace Gantry.Kubernetes.Tests.Support;

/// <summary>A real gateway with a sandbox cluster registered through POST /clusters and the local cluster cordoned, so jobs go to the sandbox.</summary>
internal sealed class SandboxGateway : IAsyncDisposable
{
    private SandboxGateway(SandboxCluster cluster, TestGateway gateway)
    {
        Cluster = cluster;
        Gateway = gateway;
    }

    public SandboxCluster Cluster { get; }

    public TestGateway Gateway { get; }

    public static async Task<SandboxGateway> StartAsync()
    {
        var cluster = await SandboxCluster.StartAsync(new SandboxClusterOptions
        {
            Name = "sbx",
            CrdDirectory = SharedFiles.Crds,
            Nodes = [new SandboxNode("node-1", "16", "64Gi")],
            Tick = TimeSpan.FromMilliseconds(50),
        }, CancellationToken.None);
        var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>
        {
            ["Gantry:Kubernetes:RefreshMilliseconds"] = "200",
            ["Gantry:Kubernetes:ResyncSeconds"] = "30",
            ["Gantry:Kubernetes:WatchTimeoutSeconds"] = "10",
            ["Gantry:Kubernetes:ProbeTimeoutSeconds"] = "15",
        });
        var sandbox = new SandboxGateway(cluster, gateway);
        await sandbox.RegisterAsync();
        return sandbox;
    }

    private async Task RegisterAsync()
    {
        using var admin = Gateway.Client();
        await admin.RegisterAsync(Cluster, "sbx");
        await Gateway.SetCordonAsync(true);
        await WaitUntilObservedAsync(admin);
    }

    /// <summary>Until the scheduler's look at the clusters has connected the sandbox and read its CRDs.</summary>
    public static async Task WaitUntilObservedAsync(HttpClient admin)
    {
        await ClusterLookups.EventuallyAsync(async () =>
        {
            var cluster = JsonNode.Parse(await admin.GetStringAsync("api/v1/clusters/sbx"))!;
            return cluster["healthy"]!.GetValue<bool>() && cluster["kinds"]!.AsArray().Count == 5;
        }, "the gateway observes the sandbox cluster");
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Cluster.DisposeAsync();
    }
}
