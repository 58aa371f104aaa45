using Gantry.Core.Resources;

namespace Gantry.Core.Scheduling;

/// <summary>
/// The first scheduler, simple on purpose: each queue is served strictly in submission
/// order, and a job goes to the first cluster (by name) where it fits now. A head that does
/// not fit blocks its queue. Quotas, weights and priorities are not honoured yet: the
/// fair-share scheduler replaces this one behind <see cref="IScheduler"/>.
/// </summary>
public sealed class FifoScheduler : IScheduler
{
    public SchedulingResult Schedule(SchedulingSnapshot snapshot)
    {
        var clusters = snapshot.Clusters.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        var free = clusters.ToDictionary(c => c.Name, c => c.Free, StringComparer.Ordinal);
        var placements = new List<Placement>();
        var rejections = new List<Rejection>();
        var waiting = new Dictionary<string, WaitReason>(StringComparer.Ordinal);

        var queues = snapshot.Jobs
            .GroupBy(j => j.Queue, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var queue in queues)
        {
            PendingJob? blocker = null;
            foreach (var job in queue.OrderBy(j => j.Seq))
            {
                var eligible = clusters.Where(c => c.Kinds.Contains(job.Kind)).ToList();
                var never = NeverFits(job, clusters, eligible);
                if (never is not null)
                {
                    rejections.Add(new Rejection(job.Id, never));
                    continue;
                }
                if (blocker is not null)
                {
                    waiting[job.Id] = new WaitReason(
                        $"waiting behind job {blocker.Id}, which is first in queue {queue.Key} and does not fit yet",
                        []);
                    continue;
                }
                var verdicts = eligible.Select(c => Verdict(job, c, free[c.Name])).ToList();
                var chosen = verdicts.FirstOrDefault(v => v.Fits);
                if (chosen is null)
                {
                    waiting[job.Id] = new WaitReason(string.Join("; ", verdicts.Select(v => $"{v.Cluster}: {v.Reason}")), verdicts);
                    blocker = job;
                    continue;
                }
                placements.Add(new Placement(job.Id, chosen.Cluster));
                free[chosen.Cluster] -= job.Demand.Total;
            }
        }
        return new SchedulingResult(placements, rejections, waiting);
    }

    private static string? NeverFits(PendingJob job, IReadOnlyList<ClusterView> all, IReadOnlyList<ClusterView> eligible)
    {
        if (eligible.Count == 0)
        {
            var runs = all.Count == 0
                ? "no cluster is registered"
                : string.Join("; ", all.Select(c => $"{c.Name} runs {string.Join(", ", c.Kinds.Order(StringComparer.Ordinal))}"));
            return $"no cluster can run {job.Kind} jobs ({runs})";
        }
        var total = job.Demand.Total;
        if (eligible.All(c => !total.FitsIn(c.Capacity)))
        {
            var largest = eligible.OrderByDescending(c => c.Capacity.CpuMillis).ThenBy(c => c.Name, StringComparer.Ordinal).First();
            return $"the job is bigger than every cluster that could run it: {largest.Name} {FitCheck.Shortfall(total, largest.Capacity, "in total")}";
        }
        return null;
    }

    private static ClusterVerdict Verdict(PendingJob job, ClusterView cluster, Resources.Resources free)
    {
        if (!cluster.Healthy)
        {
            return new ClusterVerdict(cluster.Name, false, "unhealthy");
        }
        if (cluster.Cordoned)
        {
            return new ClusterVerdict(cluster.Name, false, "cordoned");
        }
        if (!job.Demand.Total.FitsIn(cluster.Capacity))
        {
            return new ClusterVerdict(cluster.Name, false, FitCheck.Shortfall(job.Demand.Total, cluster.Capacity, "in total")!);
        }
        var shortfall = FitCheck.Shortfall(job.Demand.Total, free);
        return shortfall is null
            ? new ClusterVerdict(cluster.Name, true, "fits")
            : new ClusterVerdict(cluster.Name, false, shortfall);
    }
}
