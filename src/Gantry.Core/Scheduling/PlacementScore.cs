using Gantry.Core.Queues;

namespace Gantry.Core.Scheduling;

/// <summary>
/// How much a queue's policy likes a cluster for a job; lower is better. Least loaded spreads
/// work (lowest dominant utilisation after placing), best fit packs it (highest), label
/// affinity prefers clusters carrying more of the queue's preferred labels, then spreads.
/// Under every policy, a job that asks for no GPU prefers a cluster where none of its pods
/// would take a GPU node's room (<see cref="TakesGpuNodes"/>): GPUs are the scarce resource,
/// and a GPU node whose cpu or memory CPU-only jobs hold cannot take a GPU job even with its
/// GPUs idle. It is a preference, after the queue's affinity and before load: when only GPU
/// clusters have room, the job still goes there.
/// </summary>
internal readonly record struct PlacementScore(int AffinityMisses, bool TakesGpuNodes, double Load) : IComparable<PlacementScore>
{
    public static PlacementScore Of(Queue queue, ClusterLedger cluster, Resources.Resources demand, bool takesGpuNodes)
    {
        var load = UtilisationAfter(cluster.View.Capacity, cluster.Free - demand);
        return queue.Policy switch
        {
            PlacementPolicy.BestFit => new PlacementScore(0, takesGpuNodes, -load),
            PlacementPolicy.LabelAffinity => new PlacementScore(Misses(queue.Affinity, cluster.View.Labels), takesGpuNodes, load),
            _ => new PlacementScore(0, takesGpuNodes, load),
        };
    }

    public int CompareTo(PlacementScore other)
    {
        var byAffinity = AffinityMisses.CompareTo(other.AffinityMisses);
        if (byAffinity != 0)
        {
            return byAffinity;
        }
        var byGpu = TakesGpuNodes.CompareTo(other.TakesGpuNodes);
        return byGpu != 0 ? byGpu : Load.CompareTo(other.Load);
    }

    private static double UtilisationAfter(Resources.Resources capacity, Resources.Resources freeAfter)
    {
        var used = capacity - freeAfter;
        return DominantShare.Of(used, capacity);
    }

    private static int Misses(IReadOnlyDictionary<string, string> preferred, IReadOnlyDictionary<string, string> labels) =>
        preferred.Count(p => !labels.TryGetValue(p.Key, out var v) || v != p.Value);
}
