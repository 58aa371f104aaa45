namespace Gantry.Core.Scheduling;

/// <summary>
/// The clusters that run one kind of job and match one cluster selector, shared this round by
/// every queue with that selector: with them, what failed there this round and the largest of
/// each resource any of them has in total.
/// </summary>
internal sealed class EligibleClusters(ClusterLedger[] clusters)
{
    /// <summary>Finds the clusters for a kind, a selector, an owner's role, less those that refuse the job.</summary>
    public delegate EligibleClusters Finder(string kind, IReadOnlyDictionary<string, string> selector, bool byAdmin, IReadOnlyDictionary<string, string> refused);

    public ClusterLedger[] Clusters { get; } = clusters;

    public FailureMemo Failures { get; } = new();

    public Resources.Resources Largest { get; } = clusters.Aggregate(Resources.Resources.Zero, (max, c) => Resources.Resources.Max(max, c.View.Capacity));

    /// <summary>
    /// Whether a queue with <paramref name="selector"/> may send a job of <paramref name="kind"/> to
    /// the cluster. A cluster that is not healthy may not have told yet which kinds it runs: it
    /// counts as allowed (and the job waits for it) rather than get the job rejected for want of a cluster.
    /// A cluster that runs admins' jobs only allows a job only <paramref name="byAdmin"/>.
    /// </summary>
    public static bool Allows(ClusterView cluster, string kind, IReadOnlyDictionary<string, string> selector, bool byAdmin)
    {
        if (cluster.AdminsOnly is not null && !byAdmin)
        {
            return false;
        }
        if (cluster.Healthy && !cluster.Kinds.Contains(kind))
        {
            return false;
        }
        foreach (var (key, value) in selector)
        {
            if (!cluster.Labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }
        return true;
    }
}
