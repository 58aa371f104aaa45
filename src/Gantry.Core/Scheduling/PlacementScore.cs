using Gantry.Core.Queues;

namespace Gantry.Core.Scheduling;

/// <summary>
/// How much a queue's policy likes a cluster for a job; lower is better. Least loaded spreads
/// work (lowest dominant utilisation after placing), best fit packs it (highest), label
/// affinity prefers clusters carrying more of the queue's preferred labels, then spreads.
/// </summary>
internal readonly record struct PlacementScore(int AffinityMisses, double Load) : IComparable<PlacementScore>
{
    public static PlacementScore Of(Queue queue, ClusterLedger cluster, Resources.Resources demand)
    {
        var load = UtilisationAfter(cluster.View.Capacity, cluster.Free - demand);
        return queue.Policy switch
        {
            PlacementPolicy.BestFit => new PlacementScore(0, -load),
            PlacementPolicy.LabelAffinity => new PlacementScore(Misses(queue.Affinity, cluster.View.Labels), load),
            _ => new PlacementScore(0, load),
        };
    }

    public int CompareTo(PlacementScore other)
    {
        var byAffinity = AffinityMisses.CompareTo(other.AffinityMisses);
        return byAffinity != 0 ? byAffinity : Load.CompareTo(other.Load);
    }

    private static double UtilisationAfter(Resources.Resources capacity, Resources.Resources freeAfter)
    {
        var used = capacity - freeAfter;
        return DominantShare.Of(used, capacity);
    }

    private static int Misses(IReadOnlyDictionary<string, string> preferred, IReadOnlyDictionary<string, string> labels) =>
        preferred.Count(p => !labels.TryGetValue(p.Key, out var v) || v != p.Value);
}
