namespace Gantry.Core.Scheduling;

/// <summary>
/// The clusters that run one kind of job and match one cluster selector, shared this round by
/// every queue with that selector: with them, what failed there this round and the largest of
/// each resource any of them has in total.
/// </summary>
internal sealed class EligibleClusters(ClusterLedger[] clusters)
{
    public ClusterLedger[] Clusters { get; } = clusters;

    public FailureMemo Failures { get; } = new();

    public Resources.Resources Largest { get; } = clusters.Aggregate(Resources.Resources.Zero, (max, c) => Resources.Resources.Max(max, c.View.Capacity));
}
