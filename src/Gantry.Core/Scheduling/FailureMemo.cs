namespace Gantry.Core.Scheduling;

/// <summary>
/// Remembers, for one queue and kind, demands that found no room this round. Free capacity only
/// shrinks during a round, so a job needing at least as much of everything as a remembered
/// failure fails too, and is answered without looking at every cluster again. That is what keeps
/// a round over a hundred thousand waiting jobs cheap. Only failures decided on totals are
/// remembered: a pod that found no node says nothing about differently shaped pods.
/// </summary>
internal sealed class FailureMemo
{
    private const int Capacity = 32;
    private readonly List<(Resources.Resources Demand, WaitReason Reason)> _failures = [];

    public WaitReason? Lookup(Resources.Resources demand)
    {
        foreach (var (failed, reason) in _failures)
        {
            if (failed.FitsIn(demand))
            {
                return reason with { Needed = demand };
            }
        }
        return null;
    }

    public void Remember(Resources.Resources demand, WaitReason reason)
    {
        // Keep only the smallest failures: one that is covered by a smaller one adds nothing.
        _failures.RemoveAll(f => demand.FitsIn(f.Demand));
        if (_failures.Count < Capacity)
        {
            _failures.Add((demand, reason));
        }
    }
}
