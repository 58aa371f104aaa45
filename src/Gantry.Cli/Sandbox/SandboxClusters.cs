using Gantry.Core.Clusters;
using Gantry.Sandbox;
using Gantry.Server.Clusters;
using Gantry.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gantry.Cli.Sandbox;

/// <summary>
/// The simulated clusters of <c>gantry serve --sandbox-clusters N</c> and <c>gantry sandbox</c>:
/// started in this process, written to a kubeconfig (for kubectl, and for <c>gantry clusters
/// import</c>), and with <c>serve</c> registered with the gateway like any Kubernetes cluster (the
/// same backend code talks to them over HTTPS).
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

    /// <summary>Starts <paramref name="count"/> clusters (jobs run 10 s unless annotated) and writes their kubeconfig to <paramref name="kubeconfigPath"/>.</summary>
    public static async Task<SandboxClusters> StartAsync(int count, string? crdDirectory, string kubeconfigPath, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var clusters = await SandboxFleet.StartAsync(count, crdDirectory, TimeSpan.FromSeconds(10), loggers, cancellationToken);
        var started = new SandboxClusters(clusters, kubeconfigPath);
        try
        {
            // The kubeconfig holds each cluster's admin token.
            await OwnerOnlyFile.WriteAsync(kubeconfigPath, SandboxFleet.Kubeconfig(clusters), cancellationToken);
            return started;
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }
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

    /// <summary>Stops every cluster at once: a SIGTERM leaves the process a couple of seconds to finish.</summary>
    public async ValueTask DisposeAsync() =>
        await Task.WhenAll(Clusters.Select(c => c.DisposeAsync().AsTask()));
}
