using System.Net;
using System.Net.Sockets;

namespace Gantry.Backends.Local;

/// <summary>
/// Hands out loopback ports for local jobs (a training job's master or coordinator port, a Spark
/// UI port) and keeps each one reserved until the job that got it ends. The kernel's pick for a
/// socket bound to port 0 is only free at that instant: the socket must be closed so the job can
/// bind the port, and until the job does, the kernel may offer the same port again. Remembering
/// what was handed out means two jobs dispatched together never share a port.
/// </summary>
public sealed class PortAllocator
{
    private const int MaxProbes = 64;

    private readonly Func<int> _probe;
    private readonly HashSet<int> _reserved = [];
    private readonly Lock _lock = new();

    public PortAllocator()
        : this(ProbeLoopback)
    {
    }

    /// <param name="probe">Answers a port nobody listens on now; the kernel's choice by default.</param>
    internal PortAllocator(Func<int> probe) => _probe = probe;

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
        for (var probe = 0; probe < MaxProbes; probe++)
        {
            var port = _probe();
            lock (_lock)
            {
                if (_reserved.Add(port))
                {
                    return port;
                }
            }
        }
        throw new DispatchException($"No free loopback port found in {MaxProbes} tries; {Reserved.Count} are held by running jobs.", retryable: true);
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

    private static int ProbeLoopback()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
