using Dapper;
using Gantry.Core.Clusters;
using Gantry.Core.Errors;

namespace Gantry.Storage.Sql;

internal sealed class SqlClusterStore(SqlDatabase database) : IClusterStore
{
    public async Task<IReadOnlyList<Cluster>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ClusterRow>(new CommandDefinition(
            "SELECT name, type, labels, cordoned, created_at FROM clusters ORDER BY name", cancellationToken: cancellationToken));
        return rows.Select(r => r.ToCluster()).ToList();
    }

    public async Task<Cluster?> GetAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ClusterRow>(new CommandDefinition(
            "SELECT name, type, labels, cordoned, created_at FROM clusters WHERE name = @name", new { name }, cancellationToken: cancellationToken));
        return row?.ToCluster();
    }

    public Task EnsureAsync(Cluster cluster, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO clusters (name, type, labels, cordoned, created_at) VALUES (@name, @type, @labels, @cordoned, @createdAt) ON CONFLICT DO NOTHING",
            new
            {
                name = cluster.Name,
                type = cluster.Type,
                labels = JsonColumns.Labels(cluster.Labels),
                cordoned = cluster.Cordoned ? 1L : 0L,
                createdAt = Time.ToDb(cluster.CreatedAt),
            }, transaction, cancellationToken: cancellationToken)), cancellationToken);

    public async Task AddAsync(Cluster cluster, string protectedConnection, CancellationToken cancellationToken)
    {
        var added = await database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO clusters (name, type, labels, cordoned, created_at, connection) VALUES (@name, @type, @labels, @cordoned, @createdAt, @protectedConnection) ON CONFLICT DO NOTHING",
            new
            {
                name = cluster.Name,
                type = cluster.Type,
                labels = JsonColumns.Labels(cluster.Labels),
                cordoned = cluster.Cordoned ? 1L : 0L,
                createdAt = Time.ToDb(cluster.CreatedAt),
                protectedConnection,
            }, transaction, cancellationToken: cancellationToken)), cancellationToken);
        if (added == 0)
        {
            throw new ConflictException($"Cluster '{cluster.Name}' already exists.");
        }
    }

    public async Task<string?> GetConnectionAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ConnectionRow>(new CommandDefinition(
            "SELECT connection FROM clusters WHERE name = @name", new { name }, cancellationToken: cancellationToken))
            ?? throw new NotFoundException("Cluster", name);
        return row.Connection;
    }

    public async Task SetLabelsAsync(string name, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        var changed = await database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "UPDATE clusters SET labels = @labels WHERE name = @name",
            new { name, labels = JsonColumns.Labels(labels) }, transaction, cancellationToken: cancellationToken)), cancellationToken);
        if (changed == 0)
        {
            throw new NotFoundException("Cluster", name);
        }
    }

    public async Task RemoveAsync(string name, CancellationToken cancellationToken)
    {
        var removed = await database.WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM cluster_shares WHERE cluster = @name", new { name }, transaction, cancellationToken: cancellationToken));
            return await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM clusters WHERE name = @name", new { name }, transaction, cancellationToken: cancellationToken));
        }, cancellationToken);
        if (removed == 0)
        {
            throw new NotFoundException("Cluster", name);
        }
    }

    public async Task SetCordonedAsync(string name, bool cordoned, CancellationToken cancellationToken)
    {
        var changed = await database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "UPDATE clusters SET cordoned = @cordoned WHERE name = @name",
            new { name, cordoned = cordoned ? 1L : 0L }, transaction, cancellationToken: cancellationToken)), cancellationToken);
        if (changed == 0)
        {
            throw new NotFoundException("Cluster", name);
        }
    }

    public async Task SetConnectionAsync(string name, string protectedConnection, CancellationToken cancellationToken)
    {
        var changed = await database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "UPDATE clusters SET connection = @protectedConnection WHERE name = @name",
            new { name, protectedConnection }, transaction, cancellationToken: cancellationToken)), cancellationToken);
        if (changed == 0)
        {
            throw new NotFoundException("Cluster", name);
        }
    }

    private sealed class ConnectionRow
    {
        public string? Connection { get; set; }
    }

    private sealed class ClusterRow
    {
        public string Name { get; set; } = "";
        public string Type { get; set; } = "";
        public string Labels { get; set; } = "{}";
        public long Cordoned { get; set; }
        public long CreatedAt { get; set; }

        public Cluster ToCluster() => new()
        {
            Name = Name,
            Type = Type,
            Labels = JsonColumns.Labels(Labels),
            Cordoned = Cordoned != 0,
            CreatedAt = Time.FromDb(CreatedAt),
        };
    }
}
