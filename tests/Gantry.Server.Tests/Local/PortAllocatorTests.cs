using System.Net;
using System.Net.Sockets;
using Gantry.Backends;
using Gantry.Backends.Local;

namespace Gantry.Server.Tests.Local;

/// <summary>The port allocator: a port handed out stays reserved until released, whatever the kernel offers meanwhile.</summary>
public sealed class PortAllocatorTests
{
    [Fact]
    public void A_port_the_kernel_offers_again_is_not_handed_out_twice_until_it_is_released()
    {
        // The kernel may offer a closed probe's port again: here it always does, then moves on.
        var offers = new Queue<int>([40001, 40001, 40001, 40002, 40001]);
        var ports = new PortAllocator(offers.Dequeue);

        var first = ports.Reserve();
        var second = ports.Reserve();
        ports.Release(first);
        var third = ports.Reserve();

        Assert.Equal(40001, first);
        Assert.Equal(40002, second);
        Assert.Equal(40001, third);
        Assert.Equal([40001, 40002], ports.Reserved.Order());
    }

    [Fact]
    public void When_every_offer_is_held_the_dispatch_is_refused_as_retryable()
    {
        var ports = new PortAllocator(() => 40001);
        ports.Hold(40001);

        var refused = Assert.Throws<DispatchException>(() => ports.Reserve());

        Assert.True(refused.Retryable);
    }

    [Fact]
    public async Task Parallel_reservations_from_a_kernel_that_repeats_itself_all_differ()
    {
        // Eight ports offered round-robin to 8 concurrent callers: each offer repeats many times.
        var next = 0;
        var ports = new PortAllocator(() => 41000 + (Interlocked.Increment(ref next) % 8));

        var reserved = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(ports.Reserve)));

        Assert.Equal(8, reserved.Distinct().Count());
    }

    [Fact]
    public async Task Parallel_reservations_of_real_ports_all_differ_and_each_can_be_bound()
    {
        var ports = new PortAllocator(PortRange.Resolve("auto", PortRange.KernelEphemeral()));

        var reserved = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(ports.Reserve)));

        Assert.Equal(32, reserved.Distinct().Count());
        foreach (var port in reserved)
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
            ports.Release(port);
        }
        Assert.Empty(ports.Reserved);
    }
}
