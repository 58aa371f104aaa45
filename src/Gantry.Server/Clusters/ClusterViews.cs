using Gantry.Core.Clusters;
using Gantry.Core.Jobs;
using Gantry.Core.Resources;
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

    /// <summary>
    /// Every cluster as the scheduler sees it: as observed, less what Gantry has sent to a Kubernetes
    /// cluster that has not started (<paramref name="active"/> jobs being dispatched or waiting for
    /// their operator may have no pods yet, and their capacity must not be given away again; counting
    /// such a job whole while some of its pods already show errs on the safe side for a moment). The
    /// local backend counts a job from the moment it is dispatched, so nothing is added there.
    /// </summary>
    public async Task<IReadOnlyList<ClusterView>> SchedulerViewsAsync(IReadOnlyList<Job> active, CancellationToken cancellationToken)
    {
        var unobserved = active
            .Where(j => j is { State: JobState.Dispatching or JobState.Submitted, Cluster: not null })
            .GroupBy(j => j.Cluster!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Aggregate(Resources.Zero, (sum, j) => sum + j.Demand.Total), StringComparer.Ordinal);
        return (await ListAsync(cancellationToken))
            .Select(x => new ClusterView(x.Cluster.Name, x.Status.Healthy, x.Cluster.Cordoned, x.Status.Capacity, x.Status.Free, x.Status.Kinds)
            {
                Labels = x.Cluster.Labels,
                // A pod must fit on one node: the scheduler packs gangs per node when the backend knows them.
                Nodes = x.Status.Nodes.Select(n => new NodeView(n.Allocatable, n.Free)).ToList(),
                Unobserved = x.Cluster.Type == ClusterTypes.Kubernetes ? unobserved.GetValueOrDefault(x.Cluster.Name) : Resources.Zero,
                AdminsOnly = x.Status.AdminsOnly,
            })
            .ToList();
    }

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
