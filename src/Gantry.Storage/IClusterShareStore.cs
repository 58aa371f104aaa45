using Gantry.Core.Clusters;

namespace Gantry.Storage;

/// <summary>Which users a cluster is shared with, and the namespace each got there.</summary>
public interface IClusterShareStore
{
    /// <summary>Stores the share, replacing the user's earlier one on the same cluster; throws <see cref="Core.Errors.NotFoundException"/> for an unknown cluster.</summary>
    Task PutAsync(ClusterShare share, CancellationToken cancellationToken);

    Task<ClusterShare?> GetAsync(string cluster, string user, CancellationToken cancellationToken);

    /// <summary>The shares of one cluster by user name; of every cluster when <paramref name="cluster"/> is null.</summary>
    Task<IReadOnlyList<ClusterShare>> ListAsync(string? cluster, CancellationToken cancellationToken);

    /// <summary>Removes the share; false when there was none.</summary>
    Task<bool> RemoveAsync(string cluster, string user, CancellationToken cancellationToken);
}
