namespace Gantry.Backends.Kubernetes;

/// <summary>How an informer lists and watches: watch length, relist period, reconnect back-off.</summary>
internal sealed record InformerSettings(TimeSpan WatchTimeout, TimeSpan Resync, TimeSpan InitialBackoff, TimeSpan MaxBackoff)
{
    /// <summary>Waited past the server's own watch timeout before a stream is taken for dead (a silently dropped connection never ends).</summary>
    public TimeSpan DeadlineSlack { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan Backoff(int failures)
    {
        var exponent = Math.Min(Math.Max(failures - 1, 0), 16);
        var delay = InitialBackoff * Math.Pow(2, exponent);
        return delay < MaxBackoff ? delay : MaxBackoff;
    }
}
