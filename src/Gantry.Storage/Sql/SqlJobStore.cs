using System.Data.Common;
using Dapper;
using Gantry.Core.Jobs;

namespace Gantry.Storage.Sql;

internal sealed class SqlJobStore : IJobStore, IAsyncDisposable
{
    private static readonly string[] ActiveStates =
        Enum.GetValues<JobState>().Where(JobStateMachine.HoldsCapacity).Select(s => s.ToString()).ToArray();

    private readonly SqlDatabase _database;
    private readonly GroupCommit<NewJob, SubmitOutcome> _batcher;
    private readonly GroupCommit<JobChange, Job> _updates;

    public SqlJobStore(SqlDatabase database)
    {
        _database = database;
        _batcher = new GroupCommit<NewJob, SubmitOutcome>(database, async (connection, transaction, batch) =>
        {
            var outcomes = await JobBatchInsert.InsertAsync(connection, transaction, batch);
            await NotifyAsync(connection, transaction, "*", CancellationToken.None);
            return outcomes;
        });
        _updates = new GroupCommit<JobChange, Job>(database, (connection, transaction, batch) => JobBatchUpdate.UpdateAsync(database, connection, transaction, batch));
    }

    public Task<SubmitOutcome> InsertAsync(NewJob submission, CancellationToken cancellationToken) =>
        _batcher.WriteAsync(submission, cancellationToken);

    public async Task<Job?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        return await GetAsync(connection, null, id, cancellationToken);
    }

    public async Task<JobPage> ListAsync(JobQuery query, CancellationToken cancellationToken)
    {
        var (sql, parameters) = JobListSql.For(query, _database.Dialect);
        await using var connection = await _database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<JobRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))).ToList();
        var more = rows.Count > query.Limit;
        var items = rows.Take(query.Limit).Select(r => r.ToJob()).ToList();
        return new JobPage(items, more ? items[^1].Seq : null);
    }

    /// <summary>
    /// Group-committed like submissions: the watcher's many concurrent status reports share a
    /// transaction and its fsync, which a write per report made the bottleneck (docs/benchmarks.md).
    /// </summary>
    public Task<Job> UpdateAsync(Job updated, JobEvent? transition, LeaseFence? fence, CancellationToken cancellationToken) =>
        _updates.WriteAsync(new JobChange(updated, transition, fence), cancellationToken);

    private async Task NotifyAsync(DbConnection connection, DbTransaction transaction, string payload, CancellationToken cancellationToken)
    {
        if (_database.Dialect.NotifySql is { } sql)
        {
            await connection.ExecuteAsync(new CommandDefinition(sql, new { payload }, transaction, cancellationToken: cancellationToken));
        }
    }

    public async Task<IReadOnlyList<JobEvent>> EventsAsync(string jobId, long afterSeq, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<JobEventRow>(new CommandDefinition(
            "SELECT seq, job_id, at, from_state, to_state, reason FROM job_events WHERE job_id = @jobId AND seq > @afterSeq ORDER BY seq",
            new { jobId, afterSeq }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToEvent()).ToList();
    }

    public async Task<IReadOnlyList<JobEvent>> EventsSinceAsync(long afterSeq, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<JobEventRow>(new CommandDefinition(
            "SELECT seq, job_id, at, from_state, to_state, reason FROM job_events WHERE seq > @afterSeq ORDER BY seq LIMIT @limit",
            new { afterSeq, limit }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToEvent()).ToList();
    }

    public async Task<long> LastEventSeqAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT MAX(seq) FROM job_events", cancellationToken: cancellationToken)) ?? 0;
    }

    public async Task<IReadOnlyList<Job>> ActiveAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<JobRow>(new CommandDefinition(
            $"SELECT {JobRow.Columns} FROM jobs WHERE {_database.Dialect.InListSql("state", "@states")} ORDER BY seq",
            new { states = ActiveStates }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToJob()).ToList();
    }

    public async Task<IReadOnlyList<Job>> QueuedHeadsAsync(int perQueue, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        // Queue by queue, so each read walks the (state, queue, seq) index from its head
        // however many jobs wait behind.
        var queues = await connection.QueryAsync<string>(new CommandDefinition("SELECT name FROM queues ORDER BY name", cancellationToken: cancellationToken));
        var jobs = new List<Job>();
        foreach (var queue in queues)
        {
            var rows = await connection.QueryAsync<JobRow>(new CommandDefinition(
                $"SELECT {JobRow.Columns} FROM jobs WHERE state = 'Queued' AND queue = @queue ORDER BY seq LIMIT @perQueue",
                new { queue, perQueue }, cancellationToken: cancellationToken));
            jobs.AddRange(rows.Select(r => r.ToJob()));
        }
        return jobs;
    }

    public async Task<int> QueuedAheadAsync(Job job, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        return (int)await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM jobs WHERE state = 'Queued' AND queue = @Queue AND seq < @Seq",
            new { job.Queue, job.Seq }, cancellationToken: cancellationToken));
    }

    public async Task SetQueuedMessagesAsync(IReadOnlyDictionary<string, string> messages, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return;
        }
        await _database.WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE jobs SET message = @Message WHERE id = @Id AND state = 'Queued'",
                messages.Select(m => new { Id = m.Key, Message = m.Value }), transaction, cancellationToken: cancellationToken));
        }, cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, long>> QueuedCountsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Queue, long Count)>(new CommandDefinition(
            "SELECT queue, COUNT(*) FROM jobs WHERE state = 'Queued' GROUP BY queue", cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Queue, r => r.Count, StringComparer.Ordinal);
    }

    public async Task<IReadOnlyDictionary<JobState, long>> CountByStateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string State, long Count)>(new CommandDefinition(
            "SELECT state, COUNT(*) FROM jobs GROUP BY state", cancellationToken: cancellationToken));
        return Enum.GetValues<JobState>().ToDictionary(s => s, s => rows.Where(r => r.State == s.ToString()).Sum(r => r.Count));
    }

    public async Task<IReadOnlyList<JobCount>> CountGroupsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string State, string Kind, string Queue, string? Cluster, long Count)>(new CommandDefinition(
            "SELECT state, kind, queue, cluster, COUNT(*) FROM jobs GROUP BY state, kind, queue, cluster", cancellationToken: cancellationToken));
        return rows.Select(r => new JobCount(Enum.Parse<JobState>(r.State), r.Kind, r.Queue, r.Cluster, r.Count)).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await _batcher.DisposeAsync();
        await _updates.DisposeAsync();
    }

    /// <summary>The job <paramref name="id"/>, read on <paramref name="connection"/> (in <paramref name="transaction"/> if given).</summary>
    internal static async Task<Job?> GetAsync(DbConnection connection, DbTransaction? transaction, string id, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<JobRow>(new CommandDefinition(
            $"SELECT {JobRow.Columns} FROM jobs WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken));
        return row?.ToJob();
    }
}
