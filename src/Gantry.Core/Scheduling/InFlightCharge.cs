using Gantry.Core.Resources;

namespace Gantry.Core.Scheduling;

/// <summary>
/// Charges what Gantry has sent to a cluster, but the cluster's capacity reading does not show
/// yet, to the nodes it will land on. Subtracting it from the cluster's totals alone is not
/// enough: two in-flight 17-cpu pods on two 32-cpu nodes leave 30 cpu in total, yet no node
/// can then take a 30-cpu pod.
/// </summary>
internal static class InFlightCharge
{
    /// <summary>
    /// Each in-flight pod, largest first, goes to the first node with room for it, as the round
    /// itself packs (so the result is a packing that exists). A pod that fits no node now will wait
    /// Pending there and take what frees first: it is charged to the first node that could ever
    /// hold it, which may leave that node's free negative. A lump known only as a total fills the
    /// nodes in order.
    /// </summary>
    public static void Apply(Resources.Resources[] nodeFree, Resources.Resources[] allocatable, IReadOnlyList<PodDemand> pods, Resources.Resources lump)
    {
        foreach (var pod in Largest(pods))
        {
            var node = Array.FindIndex(nodeFree, free => pod.FitsIn(free));
            if (node < 0)
            {
                node = Math.Max(0, Array.FindIndex(allocatable, a => pod.FitsIn(a)));
            }
            nodeFree[node] -= pod;
        }
        var left = lump;
        for (var node = 0; node < nodeFree.Length && left != Resources.Resources.Zero; node++)
        {
            var room = Resources.Resources.Max(Resources.Resources.Zero, nodeFree[node]);
            var taken = new Resources.Resources(
                Math.Min(room.CpuMillis, left.CpuMillis), Math.Min(room.MemoryBytes, left.MemoryBytes), Math.Min(room.Gpu, left.Gpu));
            nodeFree[node] -= taken;
            left -= taken;
        }
        if (nodeFree.Length > 0)
        {
            nodeFree[0] -= left;
        }
    }

    /// <summary>Every pod, one entry each, largest first (cpu, then memory, then gpu).</summary>
    private static IEnumerable<Resources.Resources> Largest(IReadOnlyList<PodDemand> pods) =>
        pods.Where(p => p.Count > 0)
            .OrderByDescending(p => p.PerPod.CpuMillis).ThenByDescending(p => p.PerPod.MemoryBytes).ThenByDescending(p => p.PerPod.Gpu)
            .SelectMany(p => Enumerable.Repeat(p.PerPod, p.Count));

    /// <summary>The sum of the pods.</summary>
    public static Resources.Resources Total(IReadOnlyList<PodDemand> pods)
    {
        var total = Resources.Resources.Zero;
        foreach (var pod in pods)
        {
            total += pod.Total;
        }
        return total;
    }
}
