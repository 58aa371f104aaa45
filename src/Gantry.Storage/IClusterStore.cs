using Gantry.Core.Clusters;

namespace Gantry.Storage;

public interface IClusterStore
{
    Task<IReadOnlyList<Cluster>> ListAsync(CancellationToken cancellationToken);

    Task<Cluster?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>Creates the cluster if absent; an existing one keeps its settings.</summary>
    Task EnsureAsync(Cluster cluster, CancellationToken cancellationToken);

    /// <summary>Sets the cordon flag; throws <see cref="Core.Errors.NotFoundException"/> for an unknown cluster.</summary>
    Task SetCordonedAsync(string name, bool cordoned, CancellationToken cancellationToken);
}
