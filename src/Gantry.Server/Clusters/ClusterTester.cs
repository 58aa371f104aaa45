using Gantry.Backends.Kubernetes.Management;
using Gantry.Core.Clusters;
using Gantry.Core.Errors;
using Gantry.Server.Options;
using Gantry.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gantry.Server.Clusters;

/// <summary><c>POST /clusters/{name}/test</c>: reaches the cluster with its stored connection and checks what Gantry needs there.</summary>
public sealed partial class ClusterTester(
    IGantryStore store, IClusterConnections connections, KubernetesKinds kinds, IOptions<GantryOptions> options, ILogger<ClusterTester> logger)
{
    public async Task<ClusterProbeResult> TestAsync(string name, CancellationToken cancellationToken)
    {
        var cluster = await store.Clusters.GetAsync(name, cancellationToken) ?? throw new NotFoundException("Cluster", name);
        if (cluster.Type != ClusterTypes.Kubernetes)
        {
            throw new ConflictException($"Cluster '{name}' is this machine, not a Kubernetes cluster: there is nothing to test.");
        }
        var connection = await connections.GetAsync(name, cancellationToken);
        ClusterProbeResult result;
        try
        {
            using var client = await KubernetesApi.ConnectAsync(connection, TimeSpan.FromSeconds(options.Value.Kubernetes.RequestTimeoutSeconds), cancellationToken);
            result = await ClusterProbe.ProbeAsync(client, connection.Namespace, kinds.All, cancellationToken);
        }
        catch (ClusterApiException ex)
        {
            result = new ClusterProbeResult(false, null, [], [new ClusterCheck("connection", false, ex.Message)]);
        }
        LogTested(name, result.Ok, result.Checks.Count(c => !c.Ok));
        return result;
    }

    [LoggerMessage(1500, LogLevel.Information, "Tested cluster {Cluster}: ok {Ok}, {Missing} check(s) failing")]
    private partial void LogTested(string cluster, bool ok, int missing);
}
