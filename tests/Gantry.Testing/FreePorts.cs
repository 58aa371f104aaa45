using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Gantry.Testing;

/// <summary>
/// Loopback ports for a server that must know its port before it binds (a gateway's public URL,
/// a restart on the same port). A port from the kernel (bind to 0, then close) is free only
/// until the next outgoing connection or port-0 listener takes it: a busy suite makes thousands.
/// These come from just below the kernel's ephemeral range, which the kernel never hands out by
/// itself, and never twice in one test process.
/// </summary>
public static class FreePorts
{
    private static readonly object Gate = new();
    private static readonly HashSet<int> Given = [];
    private static readonly (int First, int Last) Range = BelowEphemeral();
    // A random start, so two test processes picking at once rarely try the same ports.
    private static int _next = Range.First + Random.Shared.Next(Range.Last - Range.First + 1);

    public static int Next()
    {
        lock (Gate)
        {
            for (var tries = 0; tries <= Range.Last - Range.First; tries++)
            {
                var port = _next;
                _next = _next >= Range.Last ? Range.First : _next + 1;
                if (Given.Add(port) && CanBind(port))
                {
                    return port;
                }
            }
        }
        throw new InvalidOperationException($"No free loopback port in {Range.First}-{Range.Last}.");
    }

    /// <summary>A port whose next port is free too (a gateway's default UI listener is its port + 1).</summary>
    public static int NextPair()
    {
        for (var tries = 0; tries < 1_000; tries++)
        {
            var port = Next();
            lock (Gate)
            {
                if (port < Range.Last && Given.Add(port + 1) && CanBind(port + 1))
                {
                    return port;
                }
            }
        }
        throw new InvalidOperationException($"No two free neighbouring loopback ports in {Range.First}-{Range.Last}.");
    }

    private static bool CanBind(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// The 10,000 ports below net.ipv4.ip_local_port_range (32768-60999 unless configured), or the
    /// range <c>GANTRY_TEST_PORT_RANGE</c> (<c>first-last</c>) gives: scripts/test.sh runs two suites
    /// at once and gives each half, so their picks never meet.
    /// </summary>
    private static (int, int) BelowEphemeral()
    {
        if (Environment.GetEnvironmentVariable("GANTRY_TEST_PORT_RANGE") is { } given
            && given.Split('-') is [var a, var b]
            && int.TryParse(a, CultureInfo.InvariantCulture, out var first) && int.TryParse(b, CultureInfo.InvariantCulture, out var last2)
            && first >= 1024 && last2 > first + 100 && last2 <= 65535)
        {
            return (first, last2);
        }
        var low = 32768;
        try
        {
            var fields = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            low = int.Parse(fields[0], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            // Not Linux, or unreadable: assume the default range.
        }
        var last = Math.Max(low - 1, 11024);
        return (Math.Max(1024, last - 10000), last);
    }
}
