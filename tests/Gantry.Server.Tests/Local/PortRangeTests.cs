using System.Net;
using System.Net.Sockets;
using Gantry.Backends;
using Gantry.Backends.Local;
using Gantry.Server.Options;

namespace Gantry.Server.Tests.Local;

/// <summary>Jobs' ports come from a range outside the kernel's ephemeral one, so no outgoing connection takes one before the job binds it.</summary>
public sealed class PortRangeTests
{
    private static readonly PortRange Ephemeral = new(32768, 60999);

    [Fact]
    public void Auto_is_the_5000_ports_ending_10000_below_the_ephemeral_range_or_the_kernels_pick_when_that_reaches_below_1024()
    {
        Assert.Equal(new PortRange(17768, 22767), PortRange.Resolve("auto", Ephemeral));
        Assert.Equal(new PortRange(20000, 20100), PortRange.Resolve("20000-20100", Ephemeral));
        Assert.Null(PortRange.Resolve("auto", new PortRange(15000, 60999)));
    }

    [Theory]
    [InlineData("20000", "not 'auto' or a range")]
    [InlineData("a-b", "not 'auto' or a range")]
    [InlineData("-5-10", "not 'auto' or a range")]
    [InlineData("+2000-3000", "not 'auto' or a range")]
    [InlineData("80-2000", "1024-65535")]
    [InlineData("60000-70000", "1024-65535")]
    [InlineData("20000-20005", "at least 16 ports")]
    [InlineData("30000-40000", "overlaps the kernel's ephemeral range 32768-60999")]
    public void A_range_that_is_malformed_too_small_or_inside_the_ephemeral_range_is_refused_at_start_naming_the_key(string setting, string expected)
    {
        var failures = new List<string>();

        GantryOptionsValidator.ValidatePortRange(setting, Ephemeral, failures);

        var failure = Assert.Single(failures);
        Assert.StartsWith("Gantry:Local:PortRange", failure);
        Assert.Contains(expected, failure);
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("AUTO")]
    [InlineData("20000-29999")]
    [InlineData("61000-65535")]
    public void Auto_and_ranges_outside_the_ephemeral_one_are_accepted(string setting)
    {
        var failures = new List<string>();

        GantryOptionsValidator.ValidatePortRange(setting, Ephemeral, failures);

        Assert.Empty(failures);
    }

    [Fact]
    public async Task Parallel_reservations_from_a_range_all_differ_lie_in_it_and_skip_a_port_someone_else_holds()
    {
        var range = UnusedRange(32);
        using var squatter = Bind(range.First + 5);
        squatter.Listen(); // a bound socket that does not listen does not stop another bind, on Linux, when both reuse addresses
        var ports = new PortAllocator(range);

        var reserved = await Task.WhenAll(Enumerable.Range(0, 31).Select(_ => Task.Run(ports.Reserve)));

        Assert.Equal(31, reserved.Distinct().Count());
        Assert.All(reserved, port => Assert.InRange(port, range.First, range.Last));
        Assert.DoesNotContain(range.First + 5, reserved);
        Assert.True(Assert.Throws<DispatchException>(() => ports.Reserve()).Retryable);
        ports.Release(reserved[0]);
        Assert.Equal(reserved[0], ports.Reserve());
    }

    /// <summary>
    /// Ports nobody holds now, below the auto range, so neither jobs of the suites' gateways (the auto
    /// range) nor the suites' own servers (the 10,000 just below the ephemeral range) take one meanwhile.
    /// </summary>
    private static PortRange UnusedRange(int size)
    {
        var auto = PortRange.Resolve("auto", PortRange.KernelEphemeral()) ?? new PortRange(17768, 22767);
        for (var tries = 0; tries < 100; tries++)
        {
            var first = Math.Max(1024, auto.First - 5000) + Random.Shared.Next(4000);
            var candidate = new PortRange(first, first + size - 1);
            if (Enumerable.Range(candidate.First, size).All(port => { using var socket = TryBind(port); return socket is not null; }))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException($"no {size} free ports below {auto.First}");
    }

    private static Socket Bind(int port) => TryBind(port) ?? throw new InvalidOperationException($"port {port} is taken");

    private static Socket? TryBind(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return socket;
        }
        catch (SocketException)
        {
            socket.Dispose();
            return null;
        }
    }
}
