using System.Data.Common;
using System.Threading.Channels;

namespace Gantry.Storage.Sql;

/// <summary>
/// Group commit for submissions: concurrent inserts wait in a channel and one writer stores
/// them in a single transaction, so one fsync pays for many durable jobs. A caller's task
/// completes only after its batch has committed.
/// </summary>
internal sealed class JobInsertBatcher : IAsyncDisposable
{
    private const int MaxBatch = 512;

    private readonly SqlDatabase _database;
    private readonly Func<DbConnection, DbTransaction, IReadOnlyList<NewJob>, Task<IReadOnlyList<SubmitOutcome>>> _insert;
    private readonly Channel<Pending> _channel = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    public JobInsertBatcher(SqlDatabase database, Func<DbConnection, DbTransaction, IReadOnlyList<NewJob>, Task<IReadOnlyList<SubmitOutcome>>> insert)
    {
        _database = database;
        _insert = insert;
        _loop = Task.Run(LoopAsync);
    }

    public Task<SubmitOutcome> InsertAsync(NewJob job, CancellationToken cancellationToken)
    {
        var pending = new Pending(job, new TaskCompletionSource<SubmitOutcome>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_channel.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(JobInsertBatcher), "The store is shutting down.");
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
            await WriteAsync(batch);
        }
    }

    private async Task WriteAsync(List<Pending> batch)
    {
        try
        {
            var jobs = batch.ConvertAll(pending => pending.Job);
            var outcomes = await _database.WriteAsync((connection, transaction) => _insert(connection, transaction, jobs), CancellationToken.None);
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
                await WriteAsync([pending]);
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

    private sealed record Pending(NewJob Job, TaskCompletionSource<SubmitOutcome> Completion);
}
