using k8s;

namespace Gantry.Sandbox.Tests.Support;

/// <summary>
/// One simulated cluster with the real CRDs for a test collection: two CPU nodes and a GPU node,
/// enough for any one of the operators' examples; jobs run for 300 ms unless annotated.
/// </summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    public SandboxCluster Cluster { get; private set; } = null!;

    public IKubernetes Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await SandboxCluster.StartAsync(new SandboxClusterOptions
        {
            Name = "test",
            Nodes =
            [
                new SandboxNode("cpu-1", "8", "32Gi"),
                new SandboxNode("cpu-2", "8", "32Gi"),
                new SandboxNode("gpu-1", "16", "64Gi", Gpu: 4, Labels: new Dictionary<string, string> { ["gpu-type"] = "a100" }),
            ],
            Labels = new Dictionary<string, string> { ["region"] = "test" },
            CrdDirectory = SharedFiles.Crds,
            DefaultRunDuration = TimeSpan.FromMilliseconds(300),
            BookmarkInterval = TimeSpan.FromMilliseconds(300),
            Tick = TimeSpan.FromMilliseconds(50),
        }, CancellationToken.None);
        Client = ClientFor(Cluster);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Cluster.DisposeAsync();
    }

    /// <summary>A client built from the cluster's kubeconfig, the production path (CA check included).</summary>
    public static IKubernetes ClientFor(SandboxCluster cluster, string? token = null)
    {
        using var kubeconfig = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(cluster.Kubeconfig(token)));
        return new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
    }

    /// <summary>A fresh namespace, so tests sharing the cluster do not see each other's objects.</summary>
    public async Task<string> NamespaceAsync(string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";
        await Client.CoreV1.CreateNamespaceAsync(new k8s.Models.V1Namespace { Metadata = new() { Name = name } });
        return name;
    }
}

[CollectionDefinition(Name)]
public sealed class SandboxCollection : ICollectionFixture<SandboxFixture>
{
    public const string Name = "sandbox";
}
