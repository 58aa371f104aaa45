namespace Gantry.Sandbox.Store;

/// <summary>
/// Recent changes (a bounded history, like the watch cache) and the open watches they are fanned
/// out to. A watch may resume from any version the history still covers; older ones get 410 Gone.
/// </summary>
internal sealed class WatchHub(int capacity)
{
    private readonly Lock _gate = new();
    private readonly Queue<WatchEvent> _history = new();
    private readonly List<WatchSubscription> _subscribers = [];
    private long _floor;
    private long _lastPublished;

    /// <summary>
    /// The newest version already handed to every open watch: a bookmark at this version, sent once a
    /// watch's queue is empty, never skips a change (unlike the clock, which moves before the publish).
    /// </summary>
    public long LastPublished
    {
        get
        {
            lock (_gate)
            {
                return _lastPublished;
            }
        }
    }

    /// <summary>The oldest version a watch can still start from.</summary>
    public long Floor
    {
        get
        {
            lock (_gate)
            {
                return _floor;
            }
        }
    }

    /// <summary>Called by the store under its own lock, so events reach every watch in version order.</summary>
    public void Publish(WatchEvent change)
    {
        lock (_gate)
        {
            _history.Enqueue(change);
            _lastPublished = change.Version;
            if (_history.Count > capacity)
            {
                _floor = _history.Dequeue().Version;
            }
            foreach (var subscriber in _subscribers)
            {
                if (subscriber.Accepts(change.Key))
                {
                    subscriber.Events.Writer.TryWrite(change);
                }
            }
        }
    }

    /// <summary>Opens a watch that first replays changes after <paramref name="after"/>; null when that version is too old.</summary>
    public WatchSubscription? Subscribe(string group, string plural, string? ns, long after)
    {
        lock (_gate)
        {
            if (after < _floor)
            {
                return null;
            }
            var subscription = new WatchSubscription(this, group, plural, ns);
            foreach (var change in _history)
            {
                if (change.Version > after && subscription.Accepts(change.Key))
                {
                    subscription.Events.Writer.TryWrite(change);
                }
            }
            _subscribers.Add(subscription);
            return subscription;
        }
    }

    /// <summary>Forgets the history: a watch from any version before <paramref name="current"/> now gets 410.</summary>
    public void Expire(long current)
    {
        lock (_gate)
        {
            _history.Clear();
            _floor = current;
        }
    }

    public void DropAll()
    {
        lock (_gate)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Drop();
            }
        }
    }

    public void Remove(WatchSubscription subscription)
    {
        lock (_gate)
        {
            _subscribers.Remove(subscription);
        }
    }
}
