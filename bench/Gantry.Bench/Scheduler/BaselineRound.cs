using Gantry.Core.Scheduling;
using Res = Gantry.Core.Resources.Resources;

namespace Gantry.Bench.Scheduler;

/// <summary>
/// The cheapest round one could write, to put the real one's time in proportion: jobs in the
/// order given, each to the first cluster where its total fits, a failure remembered per kind by
/// total only, and a job id set for the waiting. No queues, no fairness, no nodes, no reasons.
/// </summary>
public static class BaselineRound
{
    public static int Run(SchedulingSnapshot snapshot)
    {
        var free = snapshot.Clusters.Select(c => c.Free).ToArray();
        var failed = new Dictionary<string, List<Res>>(StringComparer.Ordinal);
        var waiting = new HashSet<string>(snapshot.Jobs.Count, StringComparer.Ordinal);
        var placed = 0;
        foreach (var job in snapshot.Jobs)
        {
            var total = job.Demand.Total;
            if (!failed.TryGetValue(job.Kind, out var known))
            {
                known = [];
                failed[job.Kind] = known;
            }
            if (known.Exists(f => f.FitsIn(total)))
            {
                waiting.Add(job.Id);
                continue;
            }
            var i = Array.FindIndex(free, f => total.FitsIn(f));
            if (i < 0)
            {
                known.Add(total);
                waiting.Add(job.Id);
                continue;
            }
            free[i] -= total;
            placed++;
        }
        return placed;
    }
}
