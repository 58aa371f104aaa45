using Gantry.Core.Clusters;

namespace Gantry.Server.Clusters;

/// <summary>The decrypted connection of a registered Kubernetes cluster, for its backend only.</summary>
public interface IClusterConnections
{
    /// <summary>The cluster's connection; throws <see cref="Core.Errors.NotFoundException"/> when it has none.</summary>
    Task<ClusterConnection> GetAsync(string cluster, CancellationToken cancellationToken);
}
