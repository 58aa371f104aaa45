using Gantry.Storage;

namespace Gantry.Server.Replication;

/// <summary>
/// Whether this replica leads now, and the fence its singleton work writes with. The elector
/// begins and ends terms; the singleton services wait for a term and stop when it is lost.
/// </summary>
public sealed class Leadership
{
    private readonly object _gate = new();
    private LeaderTerm? _term;
    private TaskCompletionSource<LeaderTerm> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Leadership(ReplicaIdentity identity)
    {
        Identity = identity;
    }

    public ReplicaIdentity Identity { get; }

    /// <summary>The term in which this replica acts now; null when it does not lead (or has stopped acting).</summary>
    public LeaderTerm? Current => Volatile.Read(ref _term) is { IsActing: true } term ? term : null;

    public bool IsLeader => Current is not null;

    /// <summary>The fence of the current term; throws <see cref="NotLeaderException"/> when this replica does not act.</summary>
    public LeaseFence RequireFence() => Current?.Fence ?? throw new NotLeaderException(Identity.Id);

    /// <summary>The next term this replica leads in, or the current one.</summary>
    public async Task<LeaderTerm> WaitForTermAsync(CancellationToken cancellationToken)
    {
        Task<LeaderTerm> next;
        lock (_gate)
        {
            if (Current is { } term)
            {
                return term;
            }
            next = _next.Task;
        }
        return await next.WaitAsync(cancellationToken);
    }

    internal void Begin(LeaderTerm term)
    {
        TaskCompletionSource<LeaderTerm> started;
        lock (_gate)
        {
            _term?.End();
            _term = term;
            started = _next;
            _next = new TaskCompletionSource<LeaderTerm>(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        started.TrySetResult(term);
    }

    internal void End()
    {
        lock (_gate)
        {
            _term?.End();
        }
    }

    /// <summary>The term object itself, even if it stopped acting (the elector decides whether a renewal continues it).</summary>
    internal LeaderTerm? Latest => Volatile.Read(ref _term);
}
