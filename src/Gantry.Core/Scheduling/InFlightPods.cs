using Gantry.Core.Resources;

namespace Gantry.Core.Scheduling;

/// <summary>Which pods of a job placed on a cluster its last capacity reading does not show yet.</summary>
public static class InFlightPods
{
    /// <summary>
    /// The job's pods less the <paramref name="bound"/> ones the reading shows. Which pod is which
    /// is not known, so the bound ones are taken to be the smallest: what stays in flight is the
    /// largest, which errs on the side of not giving room twice.
    /// </summary>
    public static IReadOnlyList<PodDemand> Of(ResourceDemand demand, int bound)
    {
        if (bound <= 0)
        {
            return demand.Pods;
        }
        var left = bound;
        var result = new List<PodDemand>(demand.Pods.Count);
        foreach (var role in demand.Pods.OrderBy(p => p.PerPod.CpuMillis).ThenBy(p => p.PerPod.MemoryBytes).ThenBy(p => p.PerPod.Gpu))
        {
            var shown = Math.Min(left, role.Count);
            left -= shown;
            if (role.Count > shown)
            {
                result.Add(role with { Count = role.Count - shown });
            }
        }
        return result;
    }
}
