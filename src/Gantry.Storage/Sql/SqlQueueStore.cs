using Dapper;
using Gantry.Core.Errors;
using Gantry.Core.Queues;

namespace Gantry.Storage.Sql;

internal sealed class SqlQueueStore(SqlDatabase database) : IQueueStore
{
    public async Task<IReadOnlyList<Queue>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<QueueRow>(new CommandDefinition(
            $"SELECT {QueueRow.Columns} FROM queues ORDER BY name", cancellationToken: cancellationToken));
        return rows.Select(r => r.ToQueue()).ToList();
    }

    public async Task<Queue?> GetAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<QueueRow>(new CommandDefinition(
            $"SELECT {QueueRow.Columns} FROM queues WHERE name = @name", new { name }, cancellationToken: cancellationToken));
        return row?.ToQueue();
    }

    public async Task CreateAsync(Queue queue, CancellationToken cancellationToken)
    {
        if (!await InsertAsync(queue, cancellationToken))
        {
            throw new ConflictException($"Queue '{queue.Name}' already exists.");
        }
    }

    public Task EnsureAsync(Queue queue, CancellationToken cancellationToken) => InsertAsync(queue, cancellationToken);

    public async Task UpdateAsync(Queue queue, CancellationToken cancellationToken)
    {
        var changed = await database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE queues SET weight = @Weight, priority = @Priority, quota = @Quota, cluster_selector = @ClusterSelector,
                policy = @Policy, affinity = @Affinity, allowed_users = @AllowedUsers, allowed_groups = @AllowedGroups, updated_at = @UpdatedAt
            WHERE name = @Name
            """,
            QueueRow.From(queue), transaction, cancellationToken: cancellationToken)), cancellationToken);
        if (changed == 0)
        {
            throw new NotFoundException("Queue", queue.Name);
        }
    }

    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        await database.WriteAsync(async (connection, transaction) =>
        {
            var unfinished = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM jobs WHERE queue = @name AND state NOT IN ('Succeeded', 'Failed', 'Cancelled')",
                new { name }, transaction, cancellationToken: cancellationToken));
            if (unfinished > 0)
            {
                throw new ConflictException($"Queue '{name}' still holds {unfinished} unfinished job(s); cancel them or let them finish first.");
            }
            var deleted = await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM queues WHERE name = @name", new { name }, transaction, cancellationToken: cancellationToken));
            if (deleted == 0)
            {
                throw new NotFoundException("Queue", name);
            }
        }, cancellationToken);
    }

    private Task<bool> InsertAsync(Queue queue, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO queues ({QueueRow.Columns}) VALUES (@Name, @Weight, @Priority, @Quota, @ClusterSelector, @Policy, @Affinity, @AllowedUsers, @AllowedGroups, @CreatedAt, @UpdatedAt) ON CONFLICT DO NOTHING",
            QueueRow.From(queue), transaction, cancellationToken: cancellationToken)) > 0, cancellationToken);
}
