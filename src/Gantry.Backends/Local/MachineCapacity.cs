using System.Globalization;

namespace Gantry.Backends.Local;

/// <summary>This machine's cores and memory. GPUs are not detected yet (nvidia-smi comes with the local training backend).</summary>
internal static class MachineCapacity
{
    public static Core.Resources.Resources Detect() =>
        new(Environment.ProcessorCount * 1000L, TotalMemoryBytes(), 0);

    private static long TotalMemoryBytes()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            var kib = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
            if (kib is not null)
            {
                return long.Parse(kib, CultureInfo.InvariantCulture) * 1024;
            }
        }
        catch (IOException)
        {
            // Not Linux, or /proc hidden: fall back to what the runtime sees.
        }
        return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
    }
}
