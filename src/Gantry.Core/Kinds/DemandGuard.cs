using Gantry.Core.Resources;
using Gantry.Core.Validation;

namespace Gantry.Core.Kinds;

/// <summary>
/// Resources arithmetic is unchecked, so a manifest asking for absurd pod counts could wrap to a
/// negative demand that "fits" anywhere. Kinds pass their result through here to refuse it instead.
/// </summary>
internal static class DemandGuard
{
    public static ResourceDemand Checked(ResourceDemand demand, ValidationErrors errors, string path)
    {
        try
        {
            long cpu = 0, memory = 0, gpu = 0;
            foreach (var pod in demand.Pods)
            {
                cpu = checked(cpu + (pod.PerPod.CpuMillis * pod.Count));
                memory = checked(memory + (pod.PerPod.MemoryBytes * pod.Count));
                gpu = checked(gpu + (pod.PerPod.Gpu * pod.Count));
            }
            return demand;
        }
        catch (OverflowException)
        {
            errors.Add(path, "the job's total resources are too large to represent");
            return ResourceDemand.None;
        }
    }
}
