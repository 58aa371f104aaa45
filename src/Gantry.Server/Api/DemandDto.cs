using Gantry.Core.Resources;

namespace Gantry.Server.Api;

/// <summary>Resources as quantities for people and as integers for programs.</summary>
public sealed record ResourcesDto(string Cpu, string Memory, long Gpu, long CpuMillicores, long MemoryBytes)
{
    public static ResourcesDto From(Resources r) =>
        new(Quantity.FormatCpu(r.CpuMillis), Quantity.FormatBytes(r.MemoryBytes), r.Gpu, r.CpuMillis, r.MemoryBytes);
}

public sealed record PodDemandDto(string Role, int Count, ResourcesDto PerPod);

/// <summary>A job's whole gang: the total and each role's pods.</summary>
public sealed record DemandDto(string Cpu, string Memory, long Gpu, long CpuMillicores, long MemoryBytes, IReadOnlyList<PodDemandDto> Pods)
{
    public static DemandDto From(ResourceDemand demand)
    {
        var total = demand.Total;
        return new DemandDto(
            Quantity.FormatCpu(total.CpuMillis), Quantity.FormatBytes(total.MemoryBytes), total.Gpu, total.CpuMillis, total.MemoryBytes,
            demand.Pods.Select(p => new PodDemandDto(p.Role, p.Count, ResourcesDto.From(p.PerPod))).ToList());
    }
}
