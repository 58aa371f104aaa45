using Gantry.Sandbox;
using Gantry.Testing;
using k8s;
using k8s.KubeConfigModels;

namespace Gantry.Server.Tests.Clusters;

/// <summary>A gateway and two simulated clusters (real HTTPS API servers on loopback) for the cluster-management tests.</summary>
public sealed class SandboxClustersFixture : IAsyncLifetime
{
    public TestGateway Gateway { get; private set; } = null!;
    public SandboxCluster East { get; private set; } = null!;
    public SandboxCluster West { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Gateway = await TestGateway.StartAsync();
        East = await SandboxCluster.StartAsync(new SandboxClusterOptions { Name = "east" }, CancellationToken.None);
        West = await SandboxCluster.StartAsync(new SandboxClusterOptions { Name = "west" }, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await East.DisposeAsync();
        await West.DisposeAsync();
        await Gateway.DisposeAsync();
    }

    /// <summary>The cluster's admin client, through its kubeconfig as any client would.</summary>
    public static IKubernetes AdminClient(SandboxCluster cluster) =>
        new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigObject(KubernetesYaml.Deserialize<K8SConfiguration>(cluster.Kubeconfig())));

    /// <summary>One kubeconfig with a context per entry, each with its own token and namespace.</summary>
    public static string Kubeconfig(params (SandboxCluster Cluster, string Context, string Token, string Namespace)[] entries) =>
        KubernetesYaml.Serialize(new K8SConfiguration
        {
            ApiVersion = "v1",
            Kind = "Config",
            CurrentContext = entries[0].Context,
            Clusters = entries.Select(e => new Cluster
            {
                Name = e.Context + "-cluster",
                ClusterEndpoint = new ClusterEndpoint { Server = e.Cluster.Server.GetLeftPart(UriPartial.Authority), CertificateAuthorityData = e.Cluster.CertificateAuthorityData },
            }).ToList(),
            Users = entries.Select(e => new User { Name = e.Context + "-user", UserCredentials = new UserCredentials { Token = e.Token } }).ToList(),
            Contexts = entries.Select(e => new Context
            {
                Name = e.Context,
                ContextDetails = new ContextDetails { Cluster = e.Context + "-cluster", User = e.Context + "-user", Namespace = e.Namespace },
            }).ToList(),
        });
}
