using Gantry.Storage;

namespace Gantry.Server.Replication;

/// <summary>
/// One stretch of leading, from winning the lease to losing it. <see cref="Lost"/> is cancelled when
/// the term ends: on its own, by a timer, once no renewal has succeeded for the give-up period
/// (so a leader cut off from the database stops acting before its lease can expire), or when
/// the elector learns another replica holds the lease, or at shutdown.
/// </summary>
public sealed class LeaderTerm : IDisposable
{
    private readonly CancellationTokenSource _lost;

    internal LeaderTerm(LeaseFence fence, DateTimeOffset startedAt, TimeSpan actFor, TimeProvider time)
    {
        Fence = fence;
        StartedAt = startedAt;
        // Infinite: a standalone gateway (SQLite) leads for as long as it runs.
        _lost = new CancellationTokenSource(actFor, time);
    }

    public LeaseFence Fence { get; }

    public long Epoch => Fence.Epoch;

    public DateTimeOffset StartedAt { get; }

    public CancellationToken Lost => _lost.Token;

    public bool IsActing => !_lost.IsCancellationRequested;

    /// <summary>A renewal sent <paramref name="actFor"/> ago less the give-up period succeeded: act until then.</summary>
    internal void ActFor(TimeSpan actFor)
    {
        if (actFor <= TimeSpan.Zero)
        {
            End();
            return;
        }
        try
        {
            _lost.CancelAfter(actFor);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    internal void End()
    {
        try
        {
            _lost.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose() => _lost.Dispose();
}
