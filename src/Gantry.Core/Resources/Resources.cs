namespace Gantry.Core.Resources;

/// <summary>
/// An amount of the three resources Gantry schedules on. Integers only (milli-CPU, bytes,
/// whole GPUs) so that sums and comparisons are exact.
/// </summary>
public readonly record struct Resources(long CpuMillis, long MemoryBytes, long Gpu)
{
    public static Resources Zero => default;

    public static Resources operator +(Resources a, Resources b) =>
        new(a.CpuMillis + b.CpuMillis, a.MemoryBytes + b.MemoryBytes, a.Gpu + b.Gpu);

    public static Resources operator -(Resources a, Resources b) =>
        new(a.CpuMillis - b.CpuMillis, a.MemoryBytes - b.MemoryBytes, a.Gpu - b.Gpu);

    public static Resources operator *(Resources a, long factor) =>
        new(a.CpuMillis * factor, a.MemoryBytes * factor, a.Gpu * factor);

    public Resources Add(Resources other) => this + other;

    public Resources Subtract(Resources other) => this - other;

    public Resources Multiply(long factor) => this * factor;

    /// <summary>True when every component of this amount is at most the other's.</summary>
    public bool FitsIn(Resources available) =>
        CpuMillis <= available.CpuMillis && MemoryBytes <= available.MemoryBytes && Gpu <= available.Gpu;

    /// <summary>Componentwise maximum, for "the larger of two requests".</summary>
    public static Resources Max(Resources a, Resources b) =>
        new(Math.Max(a.CpuMillis, b.CpuMillis), Math.Max(a.MemoryBytes, b.MemoryBytes), Math.Max(a.Gpu, b.Gpu));

    public override string ToString() =>
        $"cpu {Quantity.FormatCpu(CpuMillis)}, memory {Quantity.FormatBytes(MemoryBytes)}, gpu {Gpu}";
}
