using Gantry.Storage.Postgres;
using Gantry.Storage.Sql;
using Gantry.Storage.Sqlite;
using Npgsql;

namespace Gantry.Storage;

/// <summary>Builds the store a configuration asks for, with its schema migrated.</summary>
public static class StoreFactory
{
    public static async Task<IGantryStore> OpenSqliteAsync(string path, SqliteSynchronous synchronous, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        var dialect = new SqliteDialect(path, synchronous);
        await dialect.EnableWalAsync(cancellationToken);
        var store = new SqlGantryStore(dialect);
        await store.MigrateAsync(cancellationToken);
        return store;
    }

    public static Task<IGantryStore> OpenPostgresAsync(string connectionString, CancellationToken cancellationToken) =>
        OpenPostgresAsync(connectionString, null, cancellationToken);

    /// <param name="idleInTransactionTimeout">
    /// How long the server keeps a session that went silent inside a transaction (PostgreSQL's
    /// idle_in_transaction_session_timeout), unless the connection string's Options set it. A leader
    /// cut off mid-transaction holds row locks, the lease row's among them, that would block every
    /// other replica's take-over for as long as the server keeps the dead session; bounded, the
    /// server ends it and the locks go with it.
    /// </param>
    public static async Task<IGantryStore> OpenPostgresAsync(string connectionString, TimeSpan? idleInTransactionTimeout, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (idleInTransactionTimeout is { } timeout && builder.Options?.Contains("idle_in_transaction_session_timeout", StringComparison.Ordinal) != true)
        {
            builder.Options = $"{builder.Options} -c idle_in_transaction_session_timeout={(long)timeout.TotalMilliseconds}".Trim();
        }
        var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        var store = new SqlGantryStore(new PostgresDialect(dataSource), dataSource);
        await store.MigrateAsync(cancellationToken);
        return store;
    }
}
