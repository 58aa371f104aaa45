using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gantry.Backends.Kubernetes;
using Gantry.Sandbox;
using Gantry.Testing;
using k8s;

namespace Gantry.Kubernetes.Tests.Support;

/// <summary>
/// A real gateway routing between sandbox clusters registered through the API (the local cluster
/// cordoned), with health probes, failover and informers fast enough for tests.
/// </summary>
internal sealed class FleetGateway : IAsyncDisposable
{
    private readonly List<SandboxCluster> _clusters;

    private FleetGateway(List<SandboxCluster> clusters, TestGateway gateway)
    {
        _clusters = clusters;
        Gateway = gateway;
    }

    public TestGateway Gateway { get; }

    public SandboxCluster this[string name] => _clusters.Single(c => c.Name == name);

    /// <summary>Starts one sandbox cluster per entry (name, nodes, region label) and a gateway that knows them all.</summary>
    public static async Task<FleetGateway> StartAsync(params (string Name, SandboxNode[] Nodes)[] shapes)
    {
        var clusters = new List<SandboxCluster>();
        foreach (var (name, nodes) in shapes)
        {
            clusters.Add(await SandboxCluster.StartAsync(new SandboxClusterOptions
            {
                Name = name,
                CrdDirectory = SharedFiles.Crds,
                Nodes = nodes,
                Labels = new Dictionary<string, string> { ["region"] = name },
                Tick = TimeSpan.FromMilliseconds(50),
            }, CancellationToken.None));
        }
        var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>
        {
            ["Gantry:Kubernetes:RefreshMilliseconds"] = "200",
            ["Gantry:Kubernetes:FailureThreshold"] = "1",
            ["Gantry:Kubernetes:ProbeTimeoutSeconds"] = "15",
            ["Gantry:Kubernetes:RequestTimeoutSeconds"] = "15",
            ["Gantry:Kubernetes:FailoverGraceSeconds"] = "1",
            ["Gantry:Kubernetes:ResyncSeconds"] = "30",
            ["Gantry:Kubernetes:WatchTimeoutSeconds"] = "10",
            ["Gantry:Scheduler:IntervalMilliseconds"] = "200",
        });
        var fleet = new FleetGateway(clusters, gateway);
        using var admin = gateway.Client();
        foreach (var cluster in clusters)
        {
            await admin.RegisterAsync(cluster);
        }
        await gateway.SetCordonAsync(true);
        foreach (var cluster in clusters)
        {
            await fleet.WaitUntilHealthyAsync(cluster.Name, true);
        }
        return fleet;
    }

    /// <summary>An admin client to the cluster itself, to see what really runs there.</summary>
    public IKubernetes Admin(string cluster)
    {
        var c = this[cluster];
        return new k8s.Kubernetes(KubernetesConfigurationFactory.Create(new Core.Clusters.ClusterConnection
        {
            Server = c.Server.ToString(),
            Token = c.AdminToken,
            CertificateAuthorityData = c.CertificateAuthorityData,
        }));
    }

    public async Task WaitUntilHealthyAsync(string cluster, bool healthy)
    {
        using var admin = Gateway.Client();
        var last = "";
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            last = await admin.GetStringAsync($"api/v1/clusters/{cluster}");
            var view = JsonNode.Parse(last)!;
            if (view["healthy"]!.GetValue<bool>() == healthy && (!healthy || view["kinds"]!.AsArray().Count == 5))
            {
                return;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"the gateway does not see cluster {cluster} {(healthy ? "healthy" : "unhealthy")}: {last}");
    }

    public async Task CordonAsync(string cluster, bool cordoned)
    {
        using var admin = Gateway.Client();
        (await admin.PostAsync($"api/v1/clusters/{cluster}/{(cordoned ? "cordon" : "uncordon")}", null)).EnsureSuccessStatusCode();
    }

    public async Task CreateQueueAsync(object queue)
    {
        using var admin = Gateway.Client();
        var response = await admin.PostAsJsonAsync("api/v1/queues", queue);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        foreach (var cluster in _clusters)
        {
            await cluster.DisposeAsync();
        }
    }
}
