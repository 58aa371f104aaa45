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
public sealed class BackendRegistry(IServiceProvider services, IGantryStore store, KubernetesBackends kubernetes)
{
    private readonly Lazy<ClusterBackend> _local = new(() =>
    {
        var local = services.GetRequiredService<LocalBackend>();
        return new ClusterBackend(local, local, local, SparkUi: local);
    });

    public async Task<ClusterBackend> ForAsync(Cluster cluster, CancellationToken cancellationToken)
    {
        switch (cluster.Type)
        {
            case ClusterTypes.Local:
                return _local.Value;
            case ClusterTypes.Kubernetes:
                var backend = await kubernetes.GetAsync(cluster.Name, cancellationToken);
                return Faces(backend);
            default:
                throw new DispatchException($"No backend drives clusters of type '{cluster.Type}' in this version.", retryable: false);
        }
    }

    /// <summary>The cluster's backend if it is ready now, without making it (null for a Kubernetes cluster not yet connected).</summary>
    public ClusterBackend? Find(Cluster cluster) => cluster.Type switch
    {
        ClusterTypes.Local => _local.Value,
        ClusterTypes.Kubernetes when kubernetes.Find(cluster.Name) is { } backend => Faces(backend),
        _ => null,
    };

    public async Task<ClusterBackend> ForClusterAsync(string cluster, CancellationToken cancellationToken)
    {
        var found = await store.Clusters.GetAsync(cluster, cancellationToken) ?? throw new NotFoundException("Cluster", cluster);
        return await ForAsync(found, cancellationToken);
    }

    private static ClusterBackend Faces(Gantry.Backends.Kubernetes.KubernetesBackend backend) =>
        new(backend, backend, backend, Schemas: backend, SparkUi: backend, Abandon: backend, Pending: backend);
}
