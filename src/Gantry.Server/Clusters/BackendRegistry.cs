using Gantry.Backends;
using Gantry.Backends.Local;
using Gantry.Core.Clusters;
using Gantry.Core.Errors;
using Gantry.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Gantry.Server.Clusters;

/// <summary>
/// Finds the backend that drives a cluster. Backends are resolved on first use because they
/// report back through the job life cycle, which in turn needs this registry.
/// </summary>
public sealed class BackendRegistry(IServiceProvider services, IGantryStore store)
{
    private readonly Lazy<ClusterBackend> _local = new(() =>
    {
        var local = services.GetRequiredService<LocalBackend>();
        return new ClusterBackend(local, local, local);
    });

    public ClusterBackend ForType(string type) => type switch
    {
        ClusterTypes.Local => _local.Value,
        _ => throw new DispatchException($"No backend drives clusters of type '{type}' in this version.", retryable: false),
    };

    public async Task<ClusterBackend> ForClusterAsync(string cluster, CancellationToken cancellationToken)
    {
        var found = await store.Clusters.GetAsync(cluster, cancellationToken) ?? throw new NotFoundException("Cluster", cluster);
        return ForType(found.Type);
    }
}
