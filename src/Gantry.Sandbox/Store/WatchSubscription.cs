using System.Threading.Channels;

namespace Gantry.Sandbox.Store;

/// <summary>An open watch's queue of changes to one resource type (in one namespace, or all).</summary>
internal sealed class WatchSubscription : IDisposable
{
    private readonly WatchHub _hub;
    private readonly CancellationTokenSource _dropped = new();

    public WatchSubscription(WatchHub hub, string group, string plural, string? ns)
    {
        _hub = hub;
        Group = group;
        Plural = plural;
        Namespace = ns;
    }

    public string Group { get; }
    public string Plural { get; }
    public string? Namespace { get; }

    public Channel<WatchEvent> Events { get; } = Channel.CreateUnbounded<WatchEvent>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Fires when the sandbox cuts every watch (a fault for tests).</summary>
    public CancellationToken Dropped => _dropped.Token;

    public bool Accepts(ObjectKey key) =>
        key.Group == Group && key.Plural == Plural && (Namespace is null || key.Namespace == Namespace);

    public void Drop() => _dropped.Cancel();

    public void Dispose()
    {
        _hub.Remove(this);
        _dropped.Dispose();
    }
}
