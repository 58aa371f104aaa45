using Gantry.Core.Clusters;
using Gantry.Core.Scheduling;
using Gantry.Storage;

namespace Gantry.Server.Clusters;

/// <summary>Joins what the store says of each cluster (labels, cordon) with what its backend observes now.</summary>
public sealed class ClusterViews(IGantryStore store, BackendRegistry backends)
{
    public async Task<IReadOnlyList<(Cluster Cluster, ClusterStatus Status)>> ListAsync(CancellationToken cancellationToken)
    {
        var clusters = await store.Clusters.ListAsync(cancellationToken);
        return clusters.Select(c => (c, StatusOf(c))).ToList();
    }

    public async Task<IReadOnlyList<ClusterView>> SchedulerViewsAsync(CancellationToken cancellationToken) =>
        (await ListAsync(cancellationToken))
            .Select(x => new ClusterView(x.Cluster.Name, x.Status.Healthy, x.Cluster.Cordoned, x.Status.Capacity, x.Status.Free, x.Status.Kinds)
            {
                Labels = x.Cluster.Labels,
            })
            .ToList();

    public ClusterStatus StatusOf(Cluster cluster)
    {
        try
        {
            return backends.ForType(cluster.Type).Capacity.Status(cluster);
        }
        catch (Backends.DispatchException ex)
        {
            return ClusterStatus.Unknown with { Message = ex.Message };
        }
    }
}
