using Gantry.Core.Clusters;
using Gantry.Core.Jobs;
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
    /// cluster that its last capacity reading does not show yet. A job placed there (Dispatching,
    /// Submitted, even Running: the operator may call a job running before the reading, taken
    /// every few seconds, shows its pods bound) has each pod the reading does not count as bound
    /// charged as in flight, node by node, so its room is not given again. The local backend
    /// counts a job from the moment it is dispatched, so nothing is added there.
    /// </summary>
    public async Task<IReadOnlyList<ClusterView>> SchedulerViewsAsync(IReadOnlyList<Job> active, CancellationToken cancellationToken) =>
        (await SchedulerInputsAsync(active, cancellationToken)).Views;

    /// <summary>As <see cref="SchedulerViewsAsync"/>, with the statuses the views came from (runtimes, for TrainJobs).</summary>
    public async Task<(IReadOnlyList<ClusterView> Views, IReadOnlyList<(Cluster Cluster, ClusterStatus Status)> Statuses)> SchedulerInputsAsync(
        IReadOnlyList<Job> active, CancellationToken cancellationToken)
    {
        var placed = active
            .Where(j => j is { State: JobState.Dispatching or JobState.Submitted or JobState.Running, Cluster: not null })
            .GroupBy(j => j.Cluster!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var statuses = await ListAsync(cancellationToken);
        var views = statuses
            .Select(x => new ClusterView(x.Cluster.Name, x.Status.Healthy, x.Cluster.Cordoned, x.Status.Capacity, x.Status.Free, x.Status.Kinds)
            {
                Labels = x.Cluster.Labels,
                // A pod must fit on one node: the scheduler packs gangs per node when the backend knows them.
                Nodes = x.Status.Nodes.Select(n => new NodeView(n.Allocatable, n.Free)).ToList(),
                InFlight = x.Cluster.Type == ClusterTypes.Kubernetes && placed.TryGetValue(x.Cluster.Name, out var jobs)
                    ? jobs.SelectMany(j => InFlightPods.Of(j.Demand, x.Status.BoundPods.GetValueOrDefault(j.Id))).ToList()
                    : [],
                AdminsOnly = x.Status.AdminsOnly,
            })
            .ToList();
        return (views, statuses);
    }

    /// <summary>The status as last observed, without connecting a cluster that is not connected yet.</summary>
    public ClusterStatus StatusOf(Cluster cluster) =>
        backends.Find(cluster)?.Capacity.Status(cluster) ?? ClusterStatus.Unknown with { Message = "not connected yet" };

    /// <summary>The status as observed now, connecting the cluster first if it is not yet.</summary>
    public async Task<ClusterStatus> StatusAsync(Cluster cluster, CancellationToken cancellationToken)
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
