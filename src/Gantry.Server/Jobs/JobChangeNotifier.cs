using System.Collections.Concurrent;

namespace Gantry.Server.Jobs;

/// <summary>
/// Wakes whoever waits on a job (SSE watchers, log followers) when it changes in this process.
/// Take the signal before reading the store, then await it: no change slips in between.
/// Changes made by other replicas arrive through <see cref="Replication.PostgresChangeFeed"/>;
/// the waiters' short timeouts remain the safety net.
/// </summary>
public sealed class JobChangeNotifier
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _signals = new(StringComparer.Ordinal);
    private TaskCompletionSource _any = NewSignal();

    public Task Signal(string jobId) => _signals.GetOrAdd(jobId, _ => NewSignal()).Task;

    /// <summary>Completes on the next change of any job (the scheduler uses it to start a round early).</summary>
    public Task AnySignal() => Volatile.Read(ref _any).Task;

    public void Notify(string jobId)
    {
        if (_signals.TryRemove(jobId, out var signal))
        {
            signal.TrySetResult();
        }
        Wake();
    }

    /// <summary>Wakes every waiter: after a gap in what this replica heard, everyone reads the store again.</summary>
    public void NotifyAll()
    {
        foreach (var id in _signals.Keys)
        {
            if (_signals.TryRemove(id, out var signal))
            {
                signal.TrySetResult();
            }
        }
        Wake();
    }

    /// <summary>Something other than a job changed (a cluster was cordoned): wake the scheduler only.</summary>
    public void Wake() => Interlocked.Exchange(ref _any, NewSignal()).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
