using Dapper;

namespace Gantry.Storage.Sql;

internal sealed class SqlReplicaStore(SqlDatabase database) : IReplicaStore
{
    public async Task HeartbeatAsync(ReplicaRecord replica, CancellationToken cancellationToken)
    {
        await database.WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO replicas (id, host, version, started_at, heartbeat_at, url) VALUES (@id, @host, @version, @started, @heartbeat, @url)
                ON CONFLICT (id) DO UPDATE SET host = excluded.host, version = excluded.version,
                    started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at, url = excluded.url
                """,
                new
                {
                    id = replica.Id,
                    host = replica.Host,
                    version = replica.Version,
                    started = Time.ToDb(replica.StartedAt),
                    heartbeat = Time.ToDb(replica.HeartbeatAt),
                    url = replica.Url,
                },
                transaction, cancellationToken: cancellationToken));
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<ReplicaRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ReplicaRow>(new CommandDefinition(
            "SELECT id, host, version, started_at, heartbeat_at, url FROM replicas ORDER BY started_at, id",
            cancellationToken: cancellationToken));
        return rows.Select(r => new ReplicaRecord(r.Id, r.Host, r.Version, Time.FromDb(r.StartedAt), Time.FromDb(r.HeartbeatAt), r.Url)).ToList();
    }

    public async Task RemoveAsync(string id, CancellationToken cancellationToken)
    {
        await database.WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM replicas WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken));
        }, cancellationToken);
    }

    public async Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        return await database.WriteAsync(async (connection, transaction) =>
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM replicas WHERE heartbeat_at < @before", new { before = Time.ToDb(before) }, transaction,
                cancellationToken: cancellationToken)), cancellationToken);
    }

    private sealed class ReplicaRow
    {
        public string Id { get; set; } = "";
        public string Host { get; set; } = "";
        public string Version { get; set; } = "";
        public long StartedAt { get; set; }
        public long HeartbeatAt { get; set; }
        public string Url { get; set; } = "";
    }
}
