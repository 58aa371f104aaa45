using System.Net;
using System.Net.Sockets;

namespace Gantry.Backends.Local;

/// <summary>
/// Hands out loopback ports for local jobs (a training job's master or coordinator port, a Spark
/// UI port) and keeps each one reserved until the job that got it ends. A port is only known free
/// at the instant it is probed: the probe must let go so the job can bind it. Ports come from a
/// <see cref="PortRange"/> outside the kernel's ephemeral range, so no outgoing connection takes one
/// meanwhile; remembering what was handed out means two jobs dispatched together never share one.
/// Without a range the kernel picks (a socket bound to port 0), which may offer the same port again.
/// </summary>
public sealed class PortAllocator
{
    private const int KernelProbes = 64;

    private readonly Func<int> _probe;
    private readonly int _maxProbes;
    private readonly HashSet<int> _reserved = [];
    private readonly Lock _lock = new();

    /// <param name="range">Where to look for ports; null: the kernel's pick.</param>
    public PortAllocator(PortRange? range)
        : this(range is { } r ? new RangeProbe(r).Next : ProbeKernel, range?.Count ?? KernelProbes)
    {
    }

    /// <param name="probe">Answers a port nobody listens on now, or 0 for one found taken.</param>
    /// <param name="maxProbes">How many answers to try before refusing.</param>
    internal PortAllocator(Func<int> probe, int maxProbes = KernelProbes)
    {
        _probe = probe;
        _maxProbes = maxProbes;
    }

    /// <summary>The ports handed out and not yet released.</summary>
    public IReadOnlyCollection<int> Reserved
    {
        get
        {
            lock (_lock)
            {
                return [.. _reserved];
            }
        }
    }

    /// <summary>A free loopback port that no other job holds; it stays reserved until <see cref="Release"/>.</summary>
    public int Reserve()
    {
        for (var probe = 0; probe < _maxProbes; probe++)
        {
            var port = _probe();
            lock (_lock)
            {
                if (port != 0 && _reserved.Add(port))
                {
                    return port;
                }
            }
        }
        throw new DispatchException($"No free loopback port found in {_maxProbes} tries; {Reserved.Count} are held by running jobs.", retryable: true);
    }

    /// <summary>Takes back a port a job held before a gateway restart, so it is not handed out again while the job runs.</summary>
    public void Hold(int port)
    {
        lock (_lock)
        {
            _reserved.Add(port);
        }
    }

    public void Release(int port)
    {
        lock (_lock)
        {
            _reserved.Remove(port);
        }
    }

    private static int ProbeKernel()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>
    /// Walks the range from a random start (two gateways on one machine rarely look at the same
    /// ports at once), answering each port that can be bound now and 0 for one that cannot.
    /// </summary>
    private sealed class RangeProbe(PortRange range)
    {
        private int _cursor = Random.Shared.Next(range.Count);

        public int Next()
        {
            var port = range.First + (int)((uint)Interlocked.Increment(ref _cursor) % (uint)range.Count);
            return CanBind(port) ? port : 0;
        }

        private static bool CanBind(int port)
        {
            try
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }
    }
}
