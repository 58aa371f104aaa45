using Gantry.Core.Queues;

namespace Gantry.Core.Scheduling;

/// <summary>
/// One round of <see cref="FairShareScheduler"/>, with the mutable bookkeeping it needs. Used once.
/// </summary>
internal sealed class SchedulingRound
{
    private readonly SchedulingSnapshot _snapshot;
    private readonly ClusterLedger[] _clusters;
    private readonly Dictionary<string, QueueLedger> _queues = new(StringComparer.Ordinal);
    private readonly List<Placement> _placements = [];
    private readonly List<Rejection> _rejections = [];
    private readonly Dictionary<string, WaitReason> _waiting;
    private readonly List<Reservation> _reservations = [];
    private readonly HashSet<string> _decided = new(StringComparer.Ordinal);
    private readonly EligibleClusters.Finder _findEligible;

    // Whether any cluster runs admins' jobs only; if none does, who owns a job never matters.
    private readonly bool _anyAdminsOnly;
    private readonly bool _spareGpuNodes;

    // Scratch space for one scan, reused so that scanning allocates nothing.
    private readonly ClusterLedger[] _candidates;
    private readonly PlacementScore[] _scores;

    public SchedulingRound(SchedulingSnapshot snapshot)
    {
        _snapshot = snapshot;
        _spareGpuNodes = snapshot.Settings.SpareGpuNodes;
        _clusters = snapshot.Clusters.OrderBy(c => c.Name, StringComparer.Ordinal).Select(c => new ClusterLedger(c, _spareGpuNodes)).ToArray();
        _waiting = new Dictionary<string, WaitReason>(snapshot.Jobs.Count, StringComparer.Ordinal);
        _findEligible = new EligibleClusterCache(_clusters).Find;
        _anyAdminsOnly = _clusters.Any(c => c.View.AdminsOnly is not null);
        _candidates = new ClusterLedger[_clusters.Length];
        _scores = new PlacementScore[_clusters.Length];
        var pool = DominantShare.Pool(snapshot.Clusters);
        var views = snapshot.Queues.ToDictionary(q => q.Queue.Name, StringComparer.Ordinal);
        foreach (var job in snapshot.Jobs)
        {
            if (!_queues.TryGetValue(job.Queue, out var ledger))
            {
                // A job whose queue has gone is still served, as if by a queue with the defaults.
                var view = views.GetValueOrDefault(job.Queue) ?? new QueueView(new Queue { Name = job.Queue }, QueueUsage.None);
                ledger = new QueueLedger(view.Queue, view.Usage, pool);
                _queues[job.Queue] = ledger;
            }
            ledger.Add(job);
        }
        foreach (var ledger in _queues.Values)
        {
            ledger.Order();
        }
    }

    public SchedulingResult Run()
    {
        HoldCapacityForTheLongestWaiting();
        ServeQueuesFairly();
        return new SchedulingResult(_placements, _rejections, _waiting, _reservations, _clusters.Select(c => c.Outcome()).ToList());
    }

    /// <summary>
    /// Head-of-line blocking: the first job of each queue that has waited longer than the
    /// settings allow is placed before anything else, and if it does not fit, capacity is held
    /// for it on its closest cluster so that smaller jobs stop taking what frees up there.
    /// </summary>
    private void HoldCapacityForTheLongestWaiting()
    {
        var cutoff = _snapshot.Now - _snapshot.Settings.ReserveAfter;
        var starving = _queues.Values
            .Select(q => (Queue: q, Job: q.FirstWaitingSince(cutoff)))
            .Where(x => x.Job is not null)
            .OrderByDescending(x => x.Queue.Queue.Priority)
            .ThenBy(x => x.Job!.CreatedAt)
            .ThenBy(x => x.Job!.Seq)
            .ToList();
        foreach (var (queue, job) in starving)
        {
            _decided.Add(job!.Id);
            if (TryPlace(job, queue) != Decision.Waits || _waiting[job.Id] is not { Code: not ReasonCode.QuotaExceeded } reason)
            {
                continue;
            }
            var allowed = queue.For(job, ByAdmin(job), _findEligible).Clusters;
            var closest = allowed
                .Where(c => c.Schedulable && c.CanEverHold(job.DemandOn(c.Name), job.DemandOn(c.Name).Total))
                .OrderBy(c => c.Gap(job.DemandOn(c.Name).Total, c.Available))
                .FirstOrDefault();
            if (closest is null)
            {
                continue;
            }
            var total = job.DemandOn(closest.Name).Total;
            closest.Reserve(job.Id, total);
            _reservations.Add(new Reservation(job.Id, closest.Name, total));
            _waiting[job.Id] = reason with { ReservedOn = closest.Name };
        }
    }

    /// <summary>
    /// Dominant resource fairness: the queue with the highest priority, then the least
    /// weighted dominant share, offers its next job; a placement raises its share and it
    /// takes its turn again when it is lowest.
    /// </summary>
    private void ServeQueuesFairly()
    {
        var turns = new PriorityQueue<QueueLedger, QueueLedger>(QueueTurnOrder.Instance);
        foreach (var queue in _queues.Values.Where(q => q.HasNext))
        {
            turns.Enqueue(queue, queue);
        }
        while (turns.TryDequeue(out var queue, out _))
        {
            // A failure leaves the queue's share as it was, so it stays first: keep serving it.
            while (queue.HasNext)
            {
                var job = queue.Next();
                if (_decided.Count > 0 && _decided.Contains(job.Id))
                {
                    continue;
                }
                if (TryPlace(job, queue) == Decision.Placed)
                {
                    if (queue.HasNext)
                    {
                        turns.Enqueue(queue, queue);
                    }
                    break;
                }
            }
        }
    }

    private enum Decision
    {
        Placed,
        Rejected,
        Waits,
    }

    /// <summary>Places the job, rejects it, or records why it waits.</summary>
    private Decision TryPlace(PendingJob job, QueueLedger queue)
    {
        var total = job.Demand.Total;
        var eligible = queue.For(job, ByAdmin(job), _findEligible);
        var allowed = eligible.Clusters;
        if (allowed.Length == 0)
        {
            // Refused by every cluster that would take its kind: it waits, since the files may yet appear or a cluster be added.
            return NoClusterReasons.Refusals(_clusters, job, queue.Queue, ByAdmin(job)) is { } refusals
                ? Wait(job, new WaitReason(ReasonCode.CannotRun) { Queue = queue.Queue.Name, Needed = total, Refusals = refusals })
                : Reject(job, ReasonCode.NoMatchingCluster, NoClusterReasons.NoCluster(_clusters, job, queue.Queue));
        }
        if (QuotaCheck.Never(queue.Queue.Quota, total) is { } never)
        {
            return Reject(job, ReasonCode.OverQuota,
                $"the job needs {ReasonText.Amount(never.Resource, never.Needed)} {never.Resource}, more than queue {queue.Queue.Name}'s quota of {ReasonText.Amount(never.Resource, never.Limit)} allows even when the queue holds nothing");
        }
        if (QuotaCheck.Breach(queue.Queue.Quota, queue.Usage, total) is { } breach)
        {
            return Wait(job, new WaitReason(ReasonCode.QuotaExceeded) { Queue = queue.Queue.Name, Quota = breach, Needed = total, Allowed = allowed.Length });
        }
        // A job bigger than the largest allowed cluster goes to the full scan, which rejects it.
        // A job whose gang differs per cluster is not comparable with what failed for others: no memo.
        if (job.DemandByCluster.Count == 0 && total.FitsIn(eligible.Largest) && eligible.Failures.Lookup(job.Demand, queue.Queue.Name) is { } remembered)
        {
            return Wait(job, remembered);
        }
        return Scan(job, queue, allowed, eligible.Failures, total);
    }

    private Decision Scan(PendingJob job, QueueLedger queue, ClusterLedger[] allowed, FailureMemo memo, Resources.Resources total)
    {
        var closest = new ClosestCluster();
        var tooLarge = 0;
        var candidates = 0;
        var perCluster = job.DemandByCluster.Count > 0;
        foreach (var cluster in allowed)
        {
            var demand = job.DemandOn(cluster.Name);
            var here = perCluster ? demand.Total : total;
            var code = cluster.Judge(demand, here);
            if (code is null)
            {
                // Whether a CPU-only job would take a GPU node's room here is known only by packing it.
                var takesGpuNodes = false;
                if (_spareGpuNodes && here.Gpu == 0 && cluster.HasGpuNodes
                    && !cluster.TryPack(demand, here, out takesGpuNodes, commit: false))
                {
                    closest.Consider(cluster, ReasonCode.NodeFit, here);
                    continue;
                }
                _candidates[candidates] = cluster;
                _scores[candidates++] = PlacementScore.Of(queue.Queue, cluster, here, takesGpuNodes);
                continue;
            }
            if (code == ReasonCode.TooLarge)
            {
                tooLarge++;
            }
            closest.Consider(cluster, code.Value, here);
        }
        if (tooLarge == allowed.Length)
        {
            var nearest = allowed.OrderBy(c => c.Gap(job.DemandOn(c.Name).Total, c.View.Capacity)).ThenBy(c => c.Name, StringComparer.Ordinal).First();
            return Reject(job, ReasonCode.TooLarge,
                $"the job is bigger than every cluster it may use: {nearest.Name} {FitCheck.Shortfall(job.DemandOn(nearest.Name).Total, nearest.View.Capacity, "in total") ?? "has no node big enough for one of its pods"}");
        }
        // The best-scored candidate whose nodes take every pod wins. Clusters come in name
        // order, so among equal scores the first name wins.
        var best = -1;
        for (var i = 0; i < candidates; i++)
        {
            var demand = job.DemandOn(_candidates[i].Name);
            var here = perCluster ? demand.Total : total;
            if ((best < 0 || _scores[i].CompareTo(_scores[best]) < 0) && _candidates[i].TryPack(demand, here, commit: false))
            {
                best = i;
            }
            else if (best < 0 || _scores[i].CompareTo(_scores[best]) < 0)
            {
                closest.Consider(_candidates[i], ReasonCode.NodeFit, here);
            }
        }
        if (best >= 0)
        {
            var placed = job.DemandOn(_candidates[best].Name);
            _candidates[best].TryPack(placed, placed.Total);
            queue.Hold(placed.Total);
            _placements.Add(new Placement(job.Id, _candidates[best].Name));
            return Decision.Placed;
        }
        var packFailed = candidates > 0;
        var hopeful = closest.Cluster!;
        var reserved = closest.Code == ReasonCode.CapacityReserved;
        var reason = new WaitReason(closest.Code)
        {
            Queue = queue.Queue.Name,
            Cluster = hopeful.Name,
            Needed = job.DemandOn(hopeful.Name).Total,
            Free = reserved ? hopeful.Available : hopeful.Free,
            HeldFor = reserved ? hopeful.ReservedFor : null,
            Allowed = allowed.Length,
        };
        if (!perCluster)
        {
            memo.Remember(job.Demand, reason, byNodes: packFailed);
        }
        return Wait(job, reason);
    }

    private Decision Wait(PendingJob job, WaitReason reason)
    {
        _waiting[job.Id] = reason;
        return Decision.Waits;
    }

    private Decision Reject(PendingJob job, ReasonCode code, string reason)
    {
        _rejections.Add(new Rejection(job.Id, code, reason));
        return Decision.Rejected;
    }

    private bool ByAdmin(PendingJob job) => _anyAdminsOnly && job.ByAdmin;
}
