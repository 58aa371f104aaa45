using Gantry.Core.Clusters;
using Gantry.Sandbox;
using Gantry.Server.Clusters;
using Gantry.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gantry.Cli.Sandbox;

/// <summary>
/// The simulated clusters of <c>gantry serve --sandbox-clusters N</c>: started in this process,
/// registered with the gateway like any Kubernetes cluster (the same backend code talks to them
/// over HTTPS), and written to <c>&lt;data dir&gt;/sandbox.kubeconfig</c> for kubectl.
/// </summary>
internal sealed class SandboxClusters : IAsyncDisposable
{
    private SandboxClusters(IReadOnlyList<SandboxCluster> clusters, string kubeconfigPath)
    {
        Clusters = clusters;
        KubeconfigPath = kubeconfigPath;
    }

    public IReadOnlyList<SandboxCluster> Clusters { get; }

    public string KubeconfigPath { get; }

    public static async Task<SandboxClusters> StartAsync(int count, string? crdDirectory, string dataDir, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var clusters = await SandboxFleet.StartAsync(count, crdDirectory, TimeSpan.FromSeconds(10), loggers, cancellationToken);
        var path = Path.Combine(dataDir, "sandbox.kubeconfig");
        // The kubeconfig holds each cluster's admin token.
        await OwnerOnlyFile.WriteAsync(path, SandboxFleet.Kubeconfig(clusters), cancellationToken);
        return new SandboxClusters(clusters, path);
    }

    /// <summary>Registers every cluster with the gateway, replacing those of the same names from an earlier start.</summary>
    public async Task RegisterAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var registrar = services.GetRequiredService<ClusterRegistrar>();
        foreach (var cluster in Clusters)
        {
            var connection = new ClusterConnection
            {
                Server = cluster.Server.ToString().TrimEnd('/'),
                CertificateAuthorityData = cluster.CertificateAuthorityData,
                Token = cluster.AdminToken,
            };
            await registrar.ReplaceAsync(cluster.Name, cluster.Labels, connection, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var cluster in Clusters)
        {
            await cluster.DisposeAsync();
        }
    }
}
