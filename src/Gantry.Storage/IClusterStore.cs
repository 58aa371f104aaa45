using Gantry.Core.Clusters;

namespace Gantry.Storage;

/// <summary>
/// Registered clusters. A Kubernetes cluster's connection is stored as the opaque text the
/// gateway encrypted; this layer never sees it in the clear.
/// </summary>
public interface IClusterStore
{
    Task<IReadOnlyList<Cluster>> ListAsync(CancellationToken cancellationToken);

    Task<Cluster?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>Creates the cluster if absent; an existing one keeps its settings.</summary>
    Task EnsureAsync(Cluster cluster, CancellationToken cancellationToken);

    /// <summary>Registers a cluster with its protected connection; throws <see cref="Core.Errors.ConflictException"/> if the name is taken.</summary>
    Task AddAsync(Cluster cluster, string protectedConnection, CancellationToken cancellationToken);

    /// <summary>The protected connection, or null when the cluster has none (the local machine); throws <see cref="Core.Errors.NotFoundException"/> for an unknown cluster.</summary>
    Task<string?> GetConnectionAsync(string name, CancellationToken cancellationToken);

    /// <summary>Replaces the labels; throws <see cref="Core.Errors.NotFoundException"/> for an unknown cluster.</summary>
    Task SetLabelsAsync(string name, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken);

    /// <summary>Sets the cordon flag; throws <see cref="Core.Errors.NotFoundException"/> for an unknown cluster.</summary>
    Task SetCordonedAsync(string name, bool cordoned, CancellationToken cancellationToken);

    /// <summary>Replaces a Kubernetes cluster's (encrypted) connection, keeping its labels, cordon and shares; NotFound when there is no such cluster.</summary>
    Task SetConnectionAsync(string name, string protectedConnection, CancellationToken cancellationToken);

    /// <summary>Removes the cluster and its shares; throws <see cref="Core.Errors.NotFoundException"/> for an unknown cluster.</summary>
    Task RemoveAsync(string name, CancellationToken cancellationToken);
}
