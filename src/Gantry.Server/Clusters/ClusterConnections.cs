using Gantry.Core.Clusters;
using Gantry.Core.Errors;
using Gantry.Storage;

namespace Gantry.Server.Clusters;

/// <summary>Reads a registered cluster's connection from the store and decrypts it; the only way to the clear text.</summary>
public sealed class ClusterConnections(IGantryStore store, ClusterConnectionProtector protector) : IClusterConnections
{
    public async Task<ClusterConnection> GetAsync(string cluster, CancellationToken cancellationToken)
    {
        var stored = await store.Clusters.GetConnectionAsync(cluster, cancellationToken)
            ?? throw new NotFoundException("Connection of cluster", cluster);
        return protector.Unprotect(cluster, stored);
    }
}
