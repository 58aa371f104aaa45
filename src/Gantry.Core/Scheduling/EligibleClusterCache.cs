namespace Gantry.Core.Scheduling;

/// <summary>
/// The round's <see cref="EligibleClusters"/>, one per kind, selector, owner's role and set of
/// refusing clusters. Queues with the same selector see the same clusters, and what failed for
/// one fails for the others: they share one.
/// </summary>
internal sealed class EligibleClusterCache(ClusterLedger[] clusters)
{
    private readonly Dictionary<string, EligibleClusters> _eligible = new(StringComparer.Ordinal);

    public EligibleClusters Find(string kind, IReadOnlyDictionary<string, string> selector, bool byAdmin, IReadOnlyDictionary<string, string> refused)
    {
        var key = kind + (byAdmin ? "|admin|" : "|") + string.Join(",", selector.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
        if (refused.Count > 0)
        {
            key += "|not:" + string.Join(",", refused.Keys.Order(StringComparer.Ordinal));
        }
        if (!_eligible.TryGetValue(key, out var eligible))
        {
            eligible = new EligibleClusters(clusters.Where(c => !refused.ContainsKey(c.Name) && EligibleClusters.Allows(c.View, kind, selector, byAdmin)).ToArray());
            _eligible[key] = eligible;
        }
        return eligible;
    }
}
