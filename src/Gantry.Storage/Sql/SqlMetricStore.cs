using Dapper;
using Gantry.Core.Metrics;

namespace Gantry.Storage.Sql;

internal sealed class SqlMetricStore(SqlDatabase database) : IMetricStore
{
    public Task AppendAsync(string jobId, IReadOnlyList<Observation> observations, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            // One prepared command for the whole push: a push is typically a batch of 100 or more.
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO job_metrics (job_id, name, value, step, ts) VALUES (@job, @name, @value, @step, @ts)";
            var job = Parameter(command, "job");
            var name = Parameter(command, "name");
            var value = Parameter(command, "value");
            var step = Parameter(command, "step");
            var ts = Parameter(command, "ts");
            job.Value = jobId;
            foreach (var o in observations)
            {
                name.Value = o.Name;
                value.Value = o.Value;
                step.Value = o.Step is { } s ? s : DBNull.Value;
                ts.Value = Time.ToDb(o.Timestamp);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }, cancellationToken);

    public async Task<IReadOnlyList<Observation>> ListAsync(string jobId, string? name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ObservationRow>(new CommandDefinition(
            "SELECT name, value, step, ts FROM job_metrics WHERE job_id = @jobId"
            + (name is null ? "" : " AND name = @name")
            + " ORDER BY name, step, ts, seq",
            new { jobId, name }, cancellationToken: cancellationToken));
        return rows.Select(r => new Observation(r.Name, r.Value, r.Step, Time.FromDb(r.Ts))).ToList();
    }

    private static System.Data.Common.DbParameter Parameter(System.Data.Common.DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }

    private sealed class ObservationRow
    {
        public string Name { get; set; } = "";
        public double Value { get; set; }
        public long? Step { get; set; }
        public long Ts { get; set; }
    }
}
