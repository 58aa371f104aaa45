using Gantry.Backends;
using Gantry.Backends.Kubernetes;
using Gantry.Core.Clusters;
using Gantry.Sandbox;
using Gantry.Testing;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Kubernetes.Tests.Support;

/// <summary>
/// A sandbox cluster with the real CRDs, a Kubernetes backend connected to it over HTTPS the way
/// the gateway connects (a ClusterConnection with token and CA data), and an admin client to look
/// at the cluster directly.
/// </summary>
internal sealed class BackendHarness : IAsyncDisposable
{
    private readonly List<KubernetesBackend> _backends = [];

    private BackendHarness(SandboxCluster cluster, KubernetesBackendOptions options)
    {
        Cluster = cluster;
        Options = options;
        Admin = new k8s.Kubernetes(KubernetesConfigurationFactory.Create(Connection));
        Backend = Connect();
    }

    public SandboxCluster Cluster { get; }

    public KubernetesBackendOptions Options { get; }

    public RecordingSink Sink { get; } = new();

    public MovedJobs Moved { get; } = new();

    public KubernetesBackend Backend { get; private set; }

    public IKubernetes Admin { get; }

    public ClusterConnection Connection => new()
    {
        Server = Cluster.Server.ToString(),
        Token = Cluster.AdminToken,
        CertificateAuthorityData = Cluster.CertificateAuthorityData,
        Namespace = "default",
    };

    /// <summary>Options fast enough for tests; <paramref name="configure"/> changes them.</summary>
    public static async Task<BackendHarness> StartAsync(
        Func<KubernetesBackendOptions, KubernetesBackendOptions>? configure = null, IReadOnlyList<SandboxNode>? nodes = null)
    {
        var cluster = await SandboxCluster.StartAsync(new SandboxClusterOptions
        {
            Name = "sbx",
            CrdDirectory = SharedFiles.Crds,
            Nodes = nodes ?? [new SandboxNode("node-1", "8", "32Gi"), new SandboxNode("node-2", "8", "32Gi", Gpu: 2)],
            BookmarkInterval = TimeSpan.FromMilliseconds(500),
            Tick = TimeSpan.FromMilliseconds(50),
        }, CancellationToken.None);
        var options = new KubernetesBackendOptions
        {
            ClusterName = "sbx",
            GatewayUrl = "http://gantry.test:8080",
            WatchTimeout = TimeSpan.FromSeconds(10),
            Resync = TimeSpan.FromSeconds(60),
            RequestTimeout = TimeSpan.FromSeconds(15),
            InitialBackoff = TimeSpan.FromMilliseconds(100),
            MaxBackoff = TimeSpan.FromSeconds(1),
            Health = new HealthSettings
            {
                FailureThreshold = 3,
                RefreshInterval = TimeSpan.FromMilliseconds(200),
                ProbeTimeout = TimeSpan.FromSeconds(3),
                RetryDelay = TimeSpan.FromMilliseconds(100),
            },
        };
        return new BackendHarness(cluster, configure?.Invoke(options) ?? options);
    }

    /// <summary>A new backend on the same cluster and sink, as a restarted gateway would make.</summary>
    public KubernetesBackend Connect()
    {
        var backend = KubernetesBackend.Connect(Connection, Options, Sink, Moved, NullLoggerFactory.Instance);
        _backends.Add(backend);
        Backend = backend;
        return backend;
    }

    public async Task DispatchAsync(Core.Jobs.Job job) =>
        await Backend.DispatchAsync(job, new DispatchContext("job-token-" + job.Id), CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        foreach (var backend in _backends)
        {
            await backend.DisposeAsync();
        }
        Admin.Dispose();
        await Cluster.DisposeAsync();
    }
}
