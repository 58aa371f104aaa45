using Dapper;

namespace Gantry.Storage.Sql;

internal sealed class SqlKeyRingStore(SqlDatabase database) : IKeyRingStore
{
    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT xml FROM data_protection_keys ORDER BY created_at, name", cancellationToken: cancellationToken));
        return rows.ToList();
    }

    public Task AddAsync(string name, string xml, DateTimeOffset createdAt, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO data_protection_keys (name, xml, created_at) VALUES (@name, @xml, @createdAt) ON CONFLICT DO NOTHING",
            new { name, xml, createdAt = Time.ToDb(createdAt) }, transaction, cancellationToken: cancellationToken)), cancellationToken);
}
