using Dapper;
using Gantry.Core.Errors;
using Gantry.Core.Experiments;

namespace Gantry.Storage.Sql;

internal sealed class SqlExperimentStore(SqlDatabase database) : IExperimentStore
{
    private static readonly string[] FinishedStates = ["Succeeded", "Failed"];
    private static readonly string[] ActiveTrialStates = ["Created", "Running"];

    public async Task<(ExperimentRun Experiment, bool Created)> InsertAsync(
        ExperimentRun experiment, string? idempotencyKey, string? requestHash, CancellationToken cancellationToken)
    {
        return await database.WriteAsync(async (connection, transaction) =>
        {
            if (idempotencyKey is not null)
            {
                var first = await connection.QuerySingleOrDefaultAsync<(string Id, string? RequestHash)?>(new CommandDefinition(
                    "SELECT id, request_hash FROM experiments WHERE owner = @owner AND idem_key = @idempotencyKey",
                    new { owner = experiment.Owner, idempotencyKey }, transaction, cancellationToken: cancellationToken));
                if (first is { } found)
                {
                    if (found.RequestHash != requestHash)
                    {
                        throw new ConflictException($"Idempotency-Key '{idempotencyKey}' was already used for a different request (experiment {found.Id}).");
                    }
                    var existing = await connection.QuerySingleAsync<ExperimentRow>(new CommandDefinition(
                        $"SELECT {ExperimentRow.Columns} FROM experiments WHERE id = @Id", new { found.Id }, transaction, cancellationToken: cancellationToken));
                    return (existing.ToRun(), false);
                }
            }
            var row = ExperimentRow.From(experiment);
            var seq = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO experiments (id, name, owner, owner_groups, queue, priority, labels, manifest, state, reason, message,
                    exhausted, summary, created_at, started_at, finished_at, updated_at, idem_key, request_hash, version)
                VALUES (@Id, @Name, @Owner, @OwnerGroups, @Queue, @Priority, @Labels, @Manifest, @State, @Reason, @Message,
                    @Exhausted, @Summary, @CreatedAt, @StartedAt, @FinishedAt, @UpdatedAt, @IdemKey, @RequestHash, @Version)
                RETURNING seq
                """,
                new
                {
                    row.Id, row.Name, row.Owner, row.OwnerGroups, row.Queue, row.Priority, row.Labels, row.Manifest, row.State, row.Reason,
                    row.Message, row.Exhausted, row.Summary, row.CreatedAt, row.StartedAt, row.FinishedAt, row.UpdatedAt,
                    IdemKey = idempotencyKey, RequestHash = requestHash, row.Version,
                },
                transaction, cancellationToken: cancellationToken));
            return (experiment with { Seq = seq }, true);
        }, cancellationToken);
    }

    public async Task<ExperimentRun?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ExperimentRow>(new CommandDefinition(
            $"SELECT {ExperimentRow.Columns} FROM experiments WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row?.ToRun();
    }

    public async Task<ExperimentPage> ListAsync(ExperimentQuery query, CancellationToken cancellationToken)
    {
        var where = new List<string>();
        var parameters = new DynamicParameters();
        if (query.State is { } state)
        {
            where.Add("state = @state");
            parameters.Add("state", state.ToString());
        }
        if (query.Owner is not null)
        {
            where.Add("owner = @owner");
            parameters.Add("owner", query.Owner);
        }
        if (query.BeforeSeq is { } before)
        {
            where.Add("seq < @before");
            parameters.Add("before", before);
        }
        parameters.Add("take", query.Limit + 1);
        var sql = $"SELECT {ExperimentRow.Columns} FROM experiments"
            + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "")
            + " ORDER BY seq DESC LIMIT @take";
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<ExperimentRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))).ToList();
        var items = rows.Take(query.Limit).Select(r => r.ToRun()).ToList();
        return new ExperimentPage(items, rows.Count > query.Limit ? items[^1].Seq : null);
    }

    public async Task<IReadOnlyList<ExperimentRun>> UnsettledAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ExperimentRow>(new CommandDefinition(
            $"""
            SELECT {ExperimentRow.Columns} FROM experiments
            WHERE {database.Dialect.InListSql("state", "@finished", negate: true)}
               OR id IN (SELECT experiment_id FROM experiment_trials WHERE {database.Dialect.InListSql("state", "@active")})
            ORDER BY seq
            """,
            new { finished = FinishedStates, active = ActiveTrialStates }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRun()).ToList();
    }

    public async Task<ExperimentRun> UpdateAsync(ExperimentRun experiment, LeaseFence? fence, CancellationToken cancellationToken)
    {
        return await database.WriteAsync(async (connection, transaction) =>
        {
            if (fence is not null)
            {
                await SqlLeaseStore.CheckAsync(database, connection, transaction, fence, cancellationToken);
            }
            var changed = await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE experiments SET manifest = @Manifest, state = @State, reason = @Reason, message = @Message, exhausted = @Exhausted,
                    summary = @Summary, started_at = @StartedAt, finished_at = @FinishedAt, updated_at = @UpdatedAt, version = version + 1
                WHERE id = @Id AND version = @Version
                """,
                ExperimentRow.From(experiment), transaction, cancellationToken: cancellationToken));
            if (changed == 0)
            {
                throw new ConcurrencyException($"Experiment '{experiment.Id}' changed since version {experiment.Version} was read.");
            }
            return experiment with { Version = experiment.Version + 1 };
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<TrialRun>> TrialsAsync(string experimentId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<TrialRow>(new CommandDefinition(
            $"SELECT {TrialRow.Columns} FROM experiment_trials WHERE experiment_id = @experimentId ORDER BY idx",
            new { experimentId }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToTrial()).ToList();
    }

    public async Task<bool> AddTrialsAsync(string experimentId, IReadOnlyList<TrialRun> trials, LeaseFence? fence, CancellationToken cancellationToken)
    {
        return await database.WriteAsync(async (connection, transaction) =>
        {
            if (fence is not null)
            {
                await SqlLeaseStore.CheckAsync(database, connection, transaction, fence, cancellationToken);
            }
            // Read under the transaction (and, on PostgreSQL, locked against a concurrent cancel).
            var state = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT state FROM experiments WHERE id = @experimentId" + database.Dialect.ForUpdateSql,
                new { experimentId }, transaction, cancellationToken: cancellationToken));
            if (state is null || FinishedStates.Contains(state))
            {
                return false;
            }
            await connection.ExecuteAsync(new CommandDefinition(
                $"INSERT INTO experiment_trials ({TrialRow.Columns}) VALUES (@ExperimentId, @Idx, @Name, @Assignments, @JobId, @State, @Objective, @Metrics, @ObjectiveHead, @Message, @CreatedAt, @FinishedAt)",
                trials.Select(TrialRow.From), transaction, cancellationToken: cancellationToken));
            return true;
        }, cancellationToken);
    }

    public async Task UpdateTrialAsync(TrialRun trial, LeaseFence? fence, CancellationToken cancellationToken)
    {
        await database.WriteAsync(async (connection, transaction) =>
        {
            if (fence is not null)
            {
                await SqlLeaseStore.CheckAsync(database, connection, transaction, fence, cancellationToken);
            }
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE experiment_trials SET job_id = @JobId, state = @State, objective = @Objective, metrics = @Metrics,
                    objective_head = @ObjectiveHead, message = @Message, finished_at = @FinishedAt
                WHERE experiment_id = @ExperimentId AND idx = @Idx
                """,
                TrialRow.From(trial), transaction, cancellationToken: cancellationToken));
        }, cancellationToken);
    }

    public async Task<ExperimentCounts> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var experiments = await connection.QueryAsync<(string State, long Count)>(new CommandDefinition(
            "SELECT state, COUNT(*) FROM experiments GROUP BY state", cancellationToken: cancellationToken));
        var trials = await connection.QueryAsync<(string State, long Count)>(new CommandDefinition(
            "SELECT state, COUNT(*) FROM experiment_trials GROUP BY state", cancellationToken: cancellationToken));
        return new ExperimentCounts(
            experiments.ToDictionary(r => r.State, r => r.Count, StringComparer.Ordinal),
            trials.ToDictionary(r => r.State, r => r.Count, StringComparer.Ordinal));
    }
}
