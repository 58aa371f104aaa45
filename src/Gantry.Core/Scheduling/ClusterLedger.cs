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
    private readonly Resources.Resources[] _scratch;

    // The order CPU-only pods try nodes in: nodes without GPUs first, so GPU nodes keep their room for GPU pods.
    private readonly int[] _cpuOrder;
    private readonly int[] _nodeOrder;

    public ClusterLedger(ClusterView view, bool spareGpuNodes = true)
    {
        View = view;
        Free = view.Free - view.Unobserved - InFlightCharge.Total(view.InFlight);
        if (view.Nodes.Count == 0)
        {
            _nodeFree = [Free];
            _nodeAllocatable = [view.Capacity];
        }
        else
        {
            _nodeFree = view.Nodes.Select(n => n.Free).ToArray();
            _nodeAllocatable = view.Nodes.Select(n => n.Allocatable).ToArray();
            // What is on its way must be charged where it will land, not only to the totals.
            InFlightCharge.Apply(_nodeFree, _nodeAllocatable, view.InFlight, view.Unobserved);
        }
        _scratch = new Resources.Resources[_nodeFree.Length];
        _nodeOrder = Enumerable.Range(0, _nodeFree.Length).ToArray();
        _cpuOrder = spareGpuNodes ? [.. _nodeOrder.OrderBy(i => _nodeAllocatable[i].Gpu > 0 ? 1 : 0)] : _nodeOrder;
        HasGpuNodes = _nodeAllocatable.Any(a => a.Gpu > 0);
    }

    /// <summary>Whether some node has GPUs: only then can a CPU-only job take room GPU jobs need.</summary>
    public bool HasGpuNodes { get; }

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
        var pods = demand.Pods;
        for (var p = 0; p < pods.Count; p++)
        {
            if (pods[p].Count > 0 && !AnyNodeHolds(pods[p].PerPod))
            {
                return false;
            }
        }
        return true;
    }

    private bool AnyNodeHolds(Resources.Resources pod)
    {
        foreach (var allocatable in _nodeAllocatable)
        {
            if (pod.FitsIn(allocatable))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Places every pod of the job on a node with room, all or nothing: roles with the largest
    /// pods first, each role filling the first nodes it fits on. Returns false, and changes
    /// nothing, when some pod finds no node. With <paramref name="commit"/> false it only answers.
    /// </summary>
    public bool TryPack(ResourceDemand demand, Resources.Resources total, bool commit = true) =>
        TryPack(demand, total, out _, commit);

    /// <summary>
    /// As <see cref="TryPack(ResourceDemand, Resources.Resources, bool)"/>; CPU-only pods try nodes
    /// without GPUs first, and <paramref name="takesGpuNodes"/> says whether a job that asks for no
    /// GPU still needs room on a GPU node here.
    /// </summary>
    public bool TryPack(ResourceDemand demand, Resources.Resources total, out bool takesGpuNodes, bool commit = true)
    {
        var pods = demand.Pods;
        var cpuOnly = total.Gpu == 0;
        takesGpuNodes = false;
        if (_nodeFree.Length == 1 || pods.Count == 0)
        {
            // One node is the whole cluster: the total check the caller made is the whole answer.
            takesGpuNodes = cpuOnly && HasGpuNodes && total != Resources.Resources.Zero;
            if (commit)
            {
                _nodeFree[0] -= total;
                Free -= total;
            }
            return true;
        }
        Array.Copy(_nodeFree, _scratch, _nodeFree.Length);
        Span<int> order = pods.Count <= 16 ? stackalloc int[pods.Count] : new int[pods.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }
        // Largest pods first (by cpu, then memory, then gpu); roles are few, so insertion sort.
        for (var i = 1; i < order.Length; i++)
        {
            for (var j = i; j > 0 && Larger(pods[order[j]].PerPod, pods[order[j - 1]].PerPod); j--)
            {
                (order[j], order[j - 1]) = (order[j - 1], order[j]);
            }
        }
        foreach (var index in order)
        {
            var role = pods[index];
            var left = role.Count;
            var nodes = role.PerPod.Gpu == 0 ? _cpuOrder : _nodeOrder;
            for (var i = 0; i < nodes.Length && left > 0; i++)
            {
                var node = nodes[i];
                var here = (int)Math.Min(left, HowMany(role.PerPod, _scratch[node]));
                _scratch[node] -= role.PerPod * here;
                left -= here;
                takesGpuNodes |= cpuOnly && here > 0 && _nodeAllocatable[node].Gpu > 0;
            }
            if (left > 0)
            {
                return false;
            }
        }
        if (commit)
        {
            Array.Copy(_scratch, _nodeFree, _nodeFree.Length);
            Free -= total;
        }
        return true;
    }

    /// <summary>How many pods of this size fit in <paramref name="free"/>.</summary>
    private static long HowMany(Resources.Resources pod, Resources.Resources free)
    {
        var count = long.MaxValue;
        if (pod.CpuMillis > 0)
        {
            count = Math.Min(count, Math.Max(0, free.CpuMillis) / pod.CpuMillis);
        }
        if (pod.MemoryBytes > 0)
        {
            count = Math.Min(count, Math.Max(0, free.MemoryBytes) / pod.MemoryBytes);
        }
        if (pod.Gpu > 0)
        {
            count = Math.Min(count, Math.Max(0, free.Gpu) / pod.Gpu);
        }
        return count == long.MaxValue && !Resources.Resources.Zero.FitsIn(free) ? 0 : count;
    }

    private static bool Larger(Resources.Resources a, Resources.Resources b) =>
        a.CpuMillis != b.CpuMillis ? a.CpuMillis > b.CpuMillis
        : a.MemoryBytes != b.MemoryBytes ? a.MemoryBytes > b.MemoryBytes
        : a.Gpu > b.Gpu;

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
