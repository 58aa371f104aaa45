using Npgsql;

namespace Gantry.Storage.Tests.Infrastructure;

/// <summary>
/// A fresh database <c>gantry_test_&lt;random&gt;</c> per test class on the server named by
/// <c>GANTRY_TEST_POSTGRES</c>, created and dropped over an admin connection.
/// </summary>
public sealed class PostgresStoreFixture : StoreFixture
{
    public override string Dialect => "postgres";

    protected override bool IsAvailable => RequiresPostgresAttribute.ConnectionString is not null;

    public override Task<IGantryStore> OpenAsync(string location, CancellationToken cancellationToken) =>
        StoreFactory.OpenPostgresAsync(location, cancellationToken);

    protected override async Task<string> CreateEmptyDatabaseAsync(CancellationToken cancellationToken)
    {
        var name = "gantry_test_" + Guid.NewGuid().ToString("N")[..16];
        await AdminAsync($"CREATE DATABASE {name}", cancellationToken);
        return new NpgsqlConnectionStringBuilder(RequiresPostgresAttribute.ConnectionString) { Database = name }.ConnectionString;
    }

    protected override (Sql.SqlDialect Dialect, IAsyncDisposable? Owned) RawDialect(string location)
    {
        var dataSource = NpgsqlDataSource.Create(location);
        return (new Postgres.PostgresDialect(dataSource), dataSource);
    }

    protected override async Task DropDatabaseAsync(string location)
    {
        var name = new NpgsqlConnectionStringBuilder(location).Database;
        // FORCE: stores opened by a test may still hold pooled connections.
        await AdminAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", CancellationToken.None);
    }

    private static async Task AdminAsync(string sql, CancellationToken cancellationToken)
    {
        // No pooling: the admin connection must not linger in a pool bound to the test databases' server.
        var builder = new NpgsqlConnectionStringBuilder(RequiresPostgresAttribute.ConnectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
