using Gantry.Core.Queues;

namespace Gantry.Core.Scheduling;

/// <summary>
/// Per-cluster verdicts for one job against the state a round left behind: the detail of
/// "why is my job still queued?", worked out only when someone asks.
/// </summary>
public static class WaitAnalysis
{
    /// <summary>Every cluster the job's queue may use for its kind, most hopeful first.</summary>
    public static IReadOnlyList<ClusterVerdict> Verdicts(PendingJob job, SchedulingSnapshot snapshot, SchedulingResult result)
    {
        var queue = snapshot.Queues.FirstOrDefault(q => q.Queue.Name == job.Queue)?.Queue ?? new Queue { Name = job.Queue };
        var outcomes = result.Clusters.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var verdicts = new List<(ClusterVerdict Verdict, double Gap)>();
        foreach (var view in snapshot.Clusters)
        {
            if (!EligibleClusters.Allows(view, job.Kind, queue.ClusterSelector, job.ByAdmin))
            {
                continue;
            }
            var demand = job.DemandOn(view.Name);
            var total = demand.Total;
            if (job.Refused.TryGetValue(view.Name, out var why))
            {
                verdicts.Add((new ClusterVerdict(view.Name, ReasonCode.CannotRun, total, view.Free) { Why = why }, double.MaxValue));
                continue;
            }
            var ledger = outcomes.TryGetValue(view.Name, out var outcome) ? ClusterLedger.After(view, outcome) : new ClusterLedger(view);
            var code = ledger.Judge(demand, total);
            if (code is null && !ledger.TryPack(demand, total, commit: false))
            {
                code = ReasonCode.NodeFit;
            }
            var free = code switch
            {
                ReasonCode.TooLarge => view.Capacity,
                ReasonCode.CapacityReserved => ledger.Available,
                _ => ledger.Free,
            };
            var verdict = new ClusterVerdict(view.Name, code, total, free) { HeldFor = code == ReasonCode.CapacityReserved ? ledger.ReservedFor : null };
            verdicts.Add((verdict, ledger.Gap(total, free)));
        }
        return verdicts
            .OrderBy(v => v.Verdict.Code is null ? -1 : (int)v.Verdict.Code)
            .ThenBy(v => v.Gap)
            .ThenBy(v => v.Verdict.Cluster, StringComparer.Ordinal)
            .Select(v => v.Verdict)
            .ToList();
    }
}
