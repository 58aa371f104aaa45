using System.Data;
using System.Data.Common;
using Gantry.Core.Jobs;

namespace Gantry.Storage.Sql;

/// <summary>
/// The two inserts of a submission (the job row and its first event) as commands built once
/// per group-commit transaction and executed once per job with new values: the SQL is parsed
/// and prepared once per batch instead of once per job, and no per-call parameter mapping runs.
/// The SQL and the values are those the per-job Dapper calls used.
/// </summary>
internal sealed class JobInsertCommands : IAsyncDisposable
{
    private const string JobSql =
        $"INSERT INTO jobs ({JobRow.InsertColumns}) VALUES (@Id, @Name, @Kind, @Queue, @Owner, @Priority, @Labels, @Manifest, @Demand, @State, @Cluster, @Message, @Attempts, @MaxAttempts, @CreatedAt, @StartedAt, @FinishedAt, @UpdatedAt, @SparkUiUrl, @BackendState, @Version) RETURNING seq";

    private const string EventSql =
        "INSERT INTO job_events (job_id, at, from_state, to_state, reason) VALUES (@JobId, @At, @From, @To, @Reason)";

    private readonly DbCommand _job;
    private readonly DbCommand _event;
    private readonly DbParameter[] _jobParameters;
    private readonly DbParameter[] _eventParameters;

    public JobInsertCommands(DbConnection connection, DbTransaction transaction)
    {
        (_job, _jobParameters) = Create(connection, transaction, JobSql,
            ("Id", DbType.String), ("Name", DbType.String), ("Kind", DbType.String), ("Queue", DbType.String),
            ("Owner", DbType.String), ("Priority", DbType.Int64), ("Labels", DbType.String), ("Manifest", DbType.String),
            ("Demand", DbType.String), ("State", DbType.String), ("Cluster", DbType.String), ("Message", DbType.String),
            ("Attempts", DbType.Int64), ("MaxAttempts", DbType.Int64), ("CreatedAt", DbType.Int64), ("StartedAt", DbType.Int64),
            ("FinishedAt", DbType.Int64), ("UpdatedAt", DbType.Int64), ("SparkUiUrl", DbType.String), ("BackendState", DbType.String),
            ("Version", DbType.Int64));
        (_event, _eventParameters) = Create(connection, transaction, EventSql,
            ("JobId", DbType.String), ("At", DbType.Int64), ("From", DbType.String), ("To", DbType.String), ("Reason", DbType.String));
    }

    /// <summary>Inserts the job row; returns its <c>seq</c>.</summary>
    public async Task<long> InsertJobAsync(Job job)
    {
        var row = JobRow.From(job);
        object?[] values =
        [
            row.Id, row.Name, row.Kind, row.Queue, row.Owner, row.Priority, row.Labels, row.Manifest, row.Demand, row.State,
            row.Cluster, row.Message, row.Attempts, row.MaxAttempts, row.CreatedAt, row.StartedAt, row.FinishedAt, row.UpdatedAt,
            row.SparkUiUrl, row.BackendState, row.Version,
        ];
        Set(_jobParameters, values);
        return Convert.ToInt64(await _job.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task InsertEventAsync(JobEvent e)
    {
        Set(_eventParameters, [e.JobId, Time.ToDb(e.At), e.From?.ToString(), e.To.ToString(), e.Reason]);
        await _event.ExecuteNonQueryAsync();
    }

    private static void Set(DbParameter[] parameters, object?[] values)
    {
        for (var i = 0; i < parameters.Length; i++)
        {
            parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }

    private static (DbCommand, DbParameter[]) Create(DbConnection connection, DbTransaction transaction, string sql, params (string Name, DbType Type)[] columns)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        var parameters = new DbParameter[columns.Length];
        for (var i = 0; i < columns.Length; i++)
        {
            var parameter = command.CreateParameter();
            // With its prefix, as written in the SQL: SQLite then finds it without trying each prefix.
            parameter.ParameterName = "@" + columns[i].Name;
            parameter.DbType = columns[i].Type;
            command.Parameters.Add(parameter);
            parameters[i] = parameter;
        }
        return (command, parameters);
    }

    public async ValueTask DisposeAsync()
    {
        await _job.DisposeAsync();
        await _event.DisposeAsync();
    }
}
