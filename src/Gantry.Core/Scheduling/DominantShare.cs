namespace Gantry.Core.Scheduling;

/// <summary>
/// Dominant resource fairness: a queue's share is the largest fraction it holds of any one
/// resource of the whole pool, so a GPU-heavy queue and a CPU-heavy queue compare fairly.
/// </summary>
public static class DominantShare
{
    /// <summary>The largest of held/total over the resources the pool has any of (0 for an empty pool).</summary>
    public static double Of(Resources.Resources held, Resources.Resources total)
    {
        var share = 0.0;
        if (total.CpuMillis > 0)
        {
            share = Math.Max(share, (double)held.CpuMillis / total.CpuMillis);
        }
        if (total.MemoryBytes > 0)
        {
            share = Math.Max(share, (double)held.MemoryBytes / total.MemoryBytes);
        }
        if (total.Gpu > 0)
        {
            share = Math.Max(share, (double)held.Gpu / total.Gpu);
        }
        return share;
    }

    /// <summary>The pool shares are fractions of: the capacity of every healthy cluster together.</summary>
    public static Resources.Resources Pool(IEnumerable<ClusterView> clusters) =>
        clusters.Where(c => c.Healthy).Aggregate(Resources.Resources.Zero, (sum, c) => sum + c.Capacity);

    /// <summary>
    /// The share each queue is entitled to when all of them want more than they get: its weight
    /// over the weights of the queues that want something.
    /// </summary>
    public static IReadOnlyDictionary<string, double> Entitlements(IEnumerable<(string Queue, double Weight)> demanding)
    {
        var list = demanding.ToList();
        var sum = list.Sum(q => q.Weight);
        return list.ToDictionary(q => q.Queue, q => sum > 0 ? q.Weight / sum : 0, StringComparer.Ordinal);
    }
}
