using Gantry.Core.Resources;

namespace Gantry.Core.Scheduling;

/// <summary>Says what stops a demand from fitting an amount of free resources, in plain words.</summary>
public static class FitCheck
{
    /// <summary>Null when <paramref name="demand"/> fits in <paramref name="free"/>, else e.g. "needs cpu 4, 2 free; gpu 8, 4 free".</summary>
    public static string? Shortfall(Resources.Resources demand, Resources.Resources free, string freeWord = "free")
    {
        var missing = new List<string>();
        if (demand.CpuMillis > free.CpuMillis)
        {
            missing.Add($"cpu {Quantity.FormatCpu(demand.CpuMillis)}, {Quantity.FormatCpu(Math.Max(0, free.CpuMillis))} {freeWord}");
        }
        if (demand.MemoryBytes > free.MemoryBytes)
        {
            missing.Add($"memory {Quantity.FormatBytes(demand.MemoryBytes)}, {Quantity.FormatBytes(Math.Max(0, free.MemoryBytes))} {freeWord}");
        }
        if (demand.Gpu > free.Gpu)
        {
            missing.Add($"gpu {demand.Gpu}, {Math.Max(0, free.Gpu)} {freeWord}");
        }
        return missing.Count == 0 ? null : "needs " + string.Join("; ", missing);
    }
}
