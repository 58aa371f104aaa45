using System.Data.Common;
using Dapper;
using Gantry.Core.Metrics;

namespace Gantry.Storage.Sql;

/// <summary>
/// Pushed metrics. Pushes go through group commit: many jobs pushing small batches at once
/// share one transaction (and one fsync) instead of queueing for the single SQLite writer.
/// </summary>
internal sealed class SqlMetricStore : IMetricStore, IAsyncDisposable
{
    private readonly SqlDatabase _database;
    private readonly GroupCommit<Push, bool> _pushes;

    public SqlMetricStore(SqlDatabase database)
    {
        _database = database;
        _pushes = new GroupCommit<Push, bool>(database, AppendBatchAsync);
    }

    public Task AppendAsync(string jobId, IReadOnlyList<Observation> observations, CancellationToken cancellationToken) =>
        _pushes.WriteAsync(new Push(jobId, observations), cancellationToken);

    public async Task<IReadOnlyList<Observation>> ListAsync(string jobId, string? name, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ObservationRow>(new CommandDefinition(
            "SELECT name, value, step, ts FROM job_metrics WHERE job_id = @jobId"
            + (name is null ? "" : " AND name = @name")
            + " ORDER BY name, step, ts, seq",
            new { jobId, name }, cancellationToken: cancellationToken));
        return rows.Select(r => new Observation(r.Name, r.Value, r.Step, Time.FromDb(r.Ts))).ToList();
    }

    public ValueTask DisposeAsync() => _pushes.DisposeAsync();

    private static async Task<IReadOnlyList<bool>> AppendBatchAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<Push> pushes)
    {
        // One prepared command for the whole batch of pushes.
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO job_metrics (job_id, name, value, step, ts) VALUES (@job, @name, @value, @step, @ts)";
        var job = Parameter(command, "job");
        var name = Parameter(command, "name");
        var value = Parameter(command, "value");
        var step = Parameter(command, "step");
        var ts = Parameter(command, "ts");
        foreach (var push in pushes)
        {
            job.Value = push.JobId;
            foreach (var o in push.Observations)
            {
                name.Value = o.Name;
                value.Value = o.Value;
                step.Value = o.Step is { } s ? s : DBNull.Value;
                ts.Value = Time.ToDb(o.Timestamp);
                await command.ExecuteNonQueryAsync();
            }
        }
        return pushes.Select(_ => true).ToList();
    }

    private static DbParameter Parameter(DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }

    private sealed record Push(string JobId, IReadOnlyList<Observation> Observations);

    private sealed class ObservationRow
    {
        public string Name { get; set; } = "";
        public double Value { get; set; }
        public long? Step { get; set; }
        public long Ts { get; set; }
    }
}
