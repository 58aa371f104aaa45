using System.Data.Common;
using System.Threading.Channels;

namespace Gantry.Storage.Sql;

/// <summary>
/// Group commit: concurrent writes (submissions, metric pushes) wait in a channel and one
/// writer stores them in a single transaction, so one fsync pays for many durable writes. A
/// caller's task completes only after its batch has committed.
/// </summary>
internal sealed class GroupCommit<TItem, TResult> : IAsyncDisposable
{
    private const int MaxBatch = 512;

    private readonly SqlDatabase _database;
    private readonly Func<DbConnection, DbTransaction, IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> _write;
    private readonly Channel<Pending> _channel = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    /// <param name="write">Writes a batch in the given transaction and answers one result per item, in order.</param>
    public GroupCommit(SqlDatabase database, Func<DbConnection, DbTransaction, IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> write)
    {
        _database = database;
        _write = write;
        _loop = Task.Run(LoopAsync);
    }

    public Task<TResult> WriteAsync(TItem item, CancellationToken cancellationToken)
    {
        var pending = new Pending(item, new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_channel.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(GroupCommit<TItem, TResult>), "The store is shutting down.");
        }
        // Once queued the write goes ahead; cancelling only stops the caller from waiting for it.
        return pending.Completion.Task.WaitAsync(cancellationToken);
    }

    private async Task LoopAsync()
    {
        var reader = _channel.Reader;
        var batch = new List<Pending>(MaxBatch);
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }
            await WriteBatchAsync(batch);
        }
    }

    private async Task WriteBatchAsync(List<Pending> batch)
    {
        try
        {
            var items = batch.ConvertAll(pending => pending.Item);
            var outcomes = await _database.WriteAsync((connection, transaction) => _write(connection, transaction, items), CancellationToken.None);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Completion.TrySetResult(outcomes[i]);
            }
        }
        catch (Exception) when (batch.Count > 1)
        {
            // One bad item must not fail its neighbours: retry each on its own.
            foreach (var pending in batch)
            {
                await WriteBatchAsync([pending]);
            }
        }
        catch (Exception ex)
        {
            batch[0].Completion.TrySetException(ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _loop;
    }

    private sealed record Pending(TItem Item, TaskCompletionSource<TResult> Completion);
}
