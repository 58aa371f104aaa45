using Gantry.Core.Resources;

namespace Gantry.Core.Scheduling;

/// <summary>
/// One cluster during one round: what is still free after the round's placements, per node
/// too, and what is held back for jobs that have waited too long. Free only shrinks during a
/// round, which is what lets a failure be remembered (see <see cref="FailureMemo"/>).
/// </summary>
internal sealed class ClusterLedger
{
    private readonly Resources.Resources[] _nodeFree;
    private readonly Resources.Resources[] _nodeAllocatable;

    public ClusterLedger(ClusterView view)
    {
        View = view;
        Free = view.Free - view.Unobserved;
        if (view.Nodes.Count == 0)
        {
            _nodeFree = [Free];
            _nodeAllocatable = [view.Capacity];
        }
        else
        {
            _nodeFree = view.Nodes.Select(n => n.Free).ToArray();
            _nodeAllocatable = view.Nodes.Select(n => n.Allocatable).ToArray();
        }
    }

    /// <summary>The cluster as a round left it, to judge a job against after the fact ("why is it still queued?").</summary>
    public static ClusterLedger After(ClusterView view, ClusterOutcome outcome)
    {
        var ledger = new ClusterLedger(view) { Free = outcome.Free, Reserved = outcome.Reserved, ReservedFor = outcome.ReservedFor };
        if (outcome.NodeFree.Count == ledger._nodeFree.Length)
        {
            outcome.NodeFree.ToArray().CopyTo(ledger._nodeFree, 0);
        }
        return ledger;
    }

    public ClusterView View { get; }

    public string Name => View.Name;

    public bool Schedulable => View.Healthy && !View.Cordoned;

    public Resources.Resources Free { get; private set; }

    public Resources.Resources Reserved { get; private set; }

    public string? ReservedFor { get; private set; }

    /// <summary>What a job that holds no reservation may use.</summary>
    public Resources.Resources Available => Free - Reserved;

    /// <summary>Whether the job could ever run here: all of it within capacity, each pod within some node.</summary>
    public bool CanEverHold(ResourceDemand demand, Resources.Resources total)
    {
        if (!total.FitsIn(View.Capacity))
        {
            return false;
        }
        foreach (var pod in demand.Pods)
        {
            if (pod.Count > 0 && !Array.Exists(_nodeAllocatable, a => pod.PerPod.FitsIn(a)))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Places every pod of the job on a node with room (largest pods first, each on the first
    /// node it fits), all or nothing. Returns false and changes nothing when some pod finds no node.
    /// </summary>
    public bool TryPack(ResourceDemand demand, Resources.Resources total, bool commit = true)
    {
        if (_nodeFree.Length == 1)
        {
            // One node is the whole cluster: the total check the caller made is the whole answer.
            if (commit)
            {
                _nodeFree[0] -= total;
                Free -= total;
            }
            return true;
        }
        var trial = (Resources.Resources[])_nodeFree.Clone();
        foreach (var pod in demand.Pods.OrderByDescending(p => p.PerPod.CpuMillis).ThenByDescending(p => p.PerPod.MemoryBytes).ThenByDescending(p => p.PerPod.Gpu))
        {
            for (var i = 0; i < pod.Count; i++)
            {
                var node = Array.FindIndex(trial, f => pod.PerPod.FitsIn(f));
                if (node < 0)
                {
                    return false;
                }
                trial[node] -= pod.PerPod;
            }
        }
        if (commit)
        {
            Array.Copy(trial, _nodeFree, trial.Length);
            Free -= total;
        }
        return true;
    }

    /// <summary>
    /// Why the job cannot go here now, judged on totals (null: it may, if its pods find nodes).
    /// An unhealthy cluster is judged first because what it last reported cannot be trusted.
    /// </summary>
    public ReasonCode? Judge(ResourceDemand demand, Resources.Resources total)
    {
        if (!View.Healthy)
        {
            return ReasonCode.Unhealthy;
        }
        if (!CanEverHold(demand, total))
        {
            return ReasonCode.TooLarge;
        }
        if (View.Cordoned)
        {
            return ReasonCode.Cordoned;
        }
        if (!total.FitsIn(Free))
        {
            return ReasonCode.Insufficient;
        }
        return total.FitsIn(Available) ? null : ReasonCode.CapacityReserved;
    }

    /// <summary>How far the job is from fitting: the largest missing fraction of any resource (0 when nothing is missing).</summary>
    public double Gap(Resources.Resources total, Resources.Resources free)
    {
        var missing = new Resources.Resources(
            Math.Max(0, total.CpuMillis - free.CpuMillis),
            Math.Max(0, total.MemoryBytes - free.MemoryBytes),
            Math.Max(0, total.Gpu - free.Gpu));
        return DominantShare.Of(missing, View.Capacity);
    }

    public void Reserve(string jobId, Resources.Resources amount)
    {
        Reserved += amount;
        ReservedFor ??= jobId;
    }

    public ClusterOutcome Outcome() => new(Name, Free, Reserved, ReservedFor, _nodeFree.ToArray());
}
