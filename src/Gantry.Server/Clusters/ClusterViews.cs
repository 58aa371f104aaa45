using Gantry.Core.Clusters;
using Gantry.Core.Scheduling;
using Gantry.Storage;

namespace Gantry.Server.Clusters;

/// <summary>Joins what the store says of each cluster (labels, cordon) with what its backend observes now.</summary>
public sealed class ClusterViews(IGantryStore store, BackendRegistry backends, KubernetesBackends kubernetes)
{
    /// <summary>Every registered cluster with its status; connects Kubernetes clusters not yet connected, and lets go of removed ones.</summary>
    public async Task<IReadOnlyList<(Cluster Cluster, ClusterStatus Status)>> ListAsync(CancellationToken cancellationToken)
    {
        var clusters = await store.Clusters.ListAsync(cancellationToken);
        await kubernetes.RetainAsync(clusters.Where(c => c.Type == ClusterTypes.Kubernetes).Select(c => c.Name).ToHashSet(StringComparer.Ordinal));
        var result = new List<(Cluster, ClusterStatus)>(clusters.Count);
        foreach (var cluster in clusters)
        {
            result.Add((cluster, await StatusAsync(cluster, cancellationToken)));
        }
        return result;
    }

    public async Task<IReadOnlyList<ClusterView>> SchedulerViewsAsync(CancellationToken cancellationToken) =>
        (await ListAsync(cancellationToken))
            .Select(x => new ClusterView(x.Cluster.Name, x.Status.Healthy, x.Cluster.Cordoned, x.Status.Capacity, x.Status.Free, x.Status.Kinds)
            {
                Labels = x.Cluster.Labels,
            })
            .ToList();

    /// <summary>The status as last observed, without connecting a cluster that is not connected yet.</summary>
    public ClusterStatus StatusOf(Cluster cluster) =>
        backends.Find(cluster)?.Capacity.Status(cluster) ?? ClusterStatus.Unknown with { Message = "not connected yet" };

    private async Task<ClusterStatus> StatusAsync(Cluster cluster, CancellationToken cancellationToken)
    {
        try
        {
            return (await backends.ForAsync(cluster, cancellationToken)).Capacity.Status(cluster);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return ClusterStatus.Unknown with { Message = $"cannot connect: {ex.Message}" };
        }
    }
}
