using System.Globalization;

namespace Gantry.Backends.Local;

/// <summary>This machine's cores, memory and NVIDIA GPUs (nvidia-smi when present; none without it).</summary>
internal static class MachineCapacity
{
    public static Core.Resources.Resources Detect() =>
        new(Environment.ProcessorCount * 1000L, TotalMemoryBytes(), GpuCount());

    private static readonly TimeSpan NvidiaSmiTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The GPU count nvidia-smi reports (one line per GPU, each holding the count); 0 without nvidia-smi or a driver.</summary>
    private static int GpuCount()
    {
        try
        {
            var start = new System.Diagnostics.ProcessStartInfo("nvidia-smi", ["--query-gpu=count", "--format=csv,noheader"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = System.Diagnostics.Process.Start(start);
            if (process is null)
            {
                return 0;
            }
            var output = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(NvidiaSmiTimeout))
            {
                process.Kill(entireProcessTree: true);
                return 0;
            }
            if (process.ExitCode != 0)
            {
                return 0;
            }
            return ParseGpuCount(output.Result);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return 0;
        }
    }

    internal static int ParseGpuCount(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)
            .FirstOrDefault();

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
