using System.Globalization;

namespace Gantry.Backends.Local;

/// <summary>
/// The loopback ports local jobs are given (a training job's master or coordinator, a Spark UI).
/// They lie outside the kernel's ephemeral range: a port from inside it is free only until the next
/// outgoing connection takes it, which can happen between the gateway's pick and the job's bind.
/// </summary>
public readonly record struct PortRange(int First, int Last)
{
    /// <summary>How many ports "auto" gives, and how far below the ephemeral range they end.</summary>
    private const int AutoSize = 5_000;
    private const int AutoGap = 10_000;
    private const int MinSize = 16;

    public int Count => Last - First + 1;

    public bool Overlaps(PortRange other) => First <= other.Last && other.First <= Last;

    public override string ToString() => $"{First}-{Last}";

    /// <summary>
    /// "auto" or "first-last": auto is the 5,000 ports ending 10,000 below <paramref name="ephemeral"/>
    /// (the 10,000 just below it are left to servers that choose their own port, the test suites
    /// among them), or null, the kernel's own pick, when that would reach below port 1024.
    /// </summary>
    public static PortRange? Resolve(string setting, PortRange ephemeral)
    {
        if (!IsAuto(setting))
        {
            return TryParse(setting, out var range, out var problem) ? range : throw new FormatException(problem);
        }
        var last = ephemeral.First - AutoGap - 1;
        return last - AutoSize + 1 >= 1024 ? new PortRange(last - AutoSize + 1, last) : null;
    }

    public static bool IsAuto(string setting) => string.Equals(setting, "auto", StringComparison.OrdinalIgnoreCase);

    public static bool TryParse(string text, out PortRange range, out string problem)
    {
        range = default;
        if (text.Split('-') is not [var a, var b]
            || !int.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            || !int.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var last))
        {
            problem = $"'{text}' is not 'auto' or a range such as 20000-24999.";
            return false;
        }
        if (first < 1024 || last > 65535 || last - first + 1 < MinSize)
        {
            problem = $"'{text}' must lie within 1024-65535 and hold at least {MinSize} ports.";
            return false;
        }
        range = new PortRange(first, last);
        problem = "";
        return true;
    }

    /// <summary>net.ipv4.ip_local_port_range; the kernel's default when it cannot be read.</summary>
    public static PortRange KernelEphemeral()
    {
        try
        {
            var fields = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return new PortRange(int.Parse(fields[0], CultureInfo.InvariantCulture), int.Parse(fields[1], CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return new PortRange(32768, 60999);
        }
    }
}
