using Gantry.Core.Resources;

namespace Gantry.Core.Scheduling;

/// <summary>
/// Remembers, for one set of eligible clusters, jobs that found no room this round. Free capacity only
/// shrinks during a round, so a job that is at least as big fails too, and is answered without
/// looking at every cluster and node again. That is what keeps a round over a hundred
/// thousand waiting jobs cheap. "At least as big" depends on why the remembered job failed:
/// on totals, a larger total is enough; on nodes, each of its pod roles must be matched by a
/// role of the new job with as many pods, each as large.
/// </summary>
internal sealed class FailureMemo
{
    private const int Capacity = 64;

    // Failures on totals are checked first: they are cheap to compare and catch most jobs.
    private readonly List<Entry> _byTotals = [];
    private readonly List<Entry> _byNodes = [];

    public WaitReason? Lookup(ResourceDemand demand, string queue) =>
        Find(_byTotals, demand, queue, checkRoles: false) ?? Find(_byNodes, demand, queue, checkRoles: true);

    public void Remember(ResourceDemand demand, WaitReason reason, bool byNodes)
    {
        var list = byNodes ? _byNodes : _byTotals;
        if (list.Count < Capacity)
        {
            list.Add(new Entry(demand.Total, demand.Pods is PodDemand[] array ? array : [.. demand.Pods], reason));
        }
    }

    private static WaitReason? Find(List<Entry> failures, ResourceDemand demand, string queue, bool checkRoles)
    {
        var total = demand.Total;
        for (var i = 0; i < failures.Count; i++)
        {
            var failure = failures[i];
            if (!failure.Total.FitsIn(total))
            {
                continue;
            }
            if (checkRoles && !RolesCovered(failure.Pods, demand.Pods))
            {
                continue;
            }
            // Jobs of a queue tend to look alike: the failure that answered this one goes first next time.
            if (i > 0)
            {
                (failures[0], failures[i]) = (failures[i], failures[0]);
            }
            return failure.Reason with { Needed = total, Queue = queue };
        }
        return null;
    }

    /// <summary>
    /// Whether every role of <paramref name="smaller"/> has its own role in <paramref name="larger"/>
    /// with at least as many pods, each at least as large. Tried for up to two roles (a Spark
    /// driver and its executors); more are never treated as covered.
    /// </summary>
    private static bool RolesCovered(PodDemand[] smaller, IReadOnlyList<PodDemand> larger)
    {
        return smaller.Length switch
        {
            0 => true,
            1 => Any(smaller[0], larger, skip: -1) >= 0,
            2 => Pair(smaller[0], smaller[1], larger) || Pair(smaller[1], smaller[0], larger),
            _ => false,
        };

        static bool Pair(PodDemand first, PodDemand second, IReadOnlyList<PodDemand> larger)
        {
            for (var i = 0; i < larger.Count; i++)
            {
                if (Covers(larger[i], first) && Any(second, larger, skip: i) >= 0)
                {
                    return true;
                }
            }
            return false;
        }

        static int Any(PodDemand role, IReadOnlyList<PodDemand> larger, int skip)
        {
            for (var i = 0; i < larger.Count; i++)
            {
                if (i != skip && Covers(larger[i], role))
                {
                    return i;
                }
            }
            return -1;
        }

        static bool Covers(PodDemand big, PodDemand small) => big.Count >= small.Count && small.PerPod.FitsIn(big.PerPod);
    }

    private sealed record Entry(Resources.Resources Total, PodDemand[] Pods, WaitReason Reason);
}
