using Gantry.Core.Queues;

namespace Gantry.Core.Scheduling;

/// <summary>
/// The words for a job no cluster will take: the clusters that refused it, or why none runs it
/// for its queue (its owner, its kind, the queue's cluster selector).
/// </summary>
internal static class NoClusterReasons
{
    /// <summary>"cluster: why" for each cluster the job could use but for its refusal, in name order; null if none.</summary>
    public static string? Refusals(ClusterLedger[] clusters, PendingJob job, Queue queue, bool byAdmin)
    {
        if (job.Refused.Count == 0)
        {
            return null;
        }
        var refusals = clusters
            .Where(c => job.Refused.ContainsKey(c.Name) && EligibleClusters.Allows(c.View, job.Kind, queue.ClusterSelector, byAdmin))
            .Select(c => $"{c.Name}: {job.Refused[c.Name]}")
            .ToList();
        return refusals.Count > 0 ? string.Join("; ", refusals) : null;
    }

    /// <summary>Why no cluster may run the job for its queue.</summary>
    public static string NoCluster(ClusterLedger[] clusters, PendingJob job, Queue queue)
    {
        // Clusters it could use but for its owner: their reason is the one that matters.
        var barred = clusters
            .Where(c => c.View.AdminsOnly is not null && !job.ByAdmin && EligibleClusters.Allows(c.View, job.Kind, queue.ClusterSelector, byAdmin: true))
            .Select(c => $"{c.Name}: {c.View.AdminsOnly}")
            .ToList();
        if (barred.Count > 0)
        {
            return string.Join("; ", barred);
        }
        var running = clusters.Where(c => c.View.Kinds.Contains(job.Kind)).Select(c => c.Name).ToList();
        if (running.Count == 0)
        {
            return clusters.Length == 0
                ? $"no cluster is registered to run {job.Kind} jobs"
                : $"no cluster can run {job.Kind} jobs ({string.Join("; ", clusters.Select(c => $"{c.Name} runs {string.Join(", ", c.View.Kinds.Order(StringComparer.Ordinal))}"))})";
        }
        var selector = string.Join(",", queue.ClusterSelector.Select(p => $"{p.Key}={p.Value}"));
        return $"no cluster that runs {job.Kind} jobs matches queue {queue.Name}'s cluster selector {selector} (they are {string.Join(", ", running)})";
    }
}
