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

    public static async Task<IGantryStore> OpenPostgresAsync(string connectionString, CancellationToken cancellationToken)
    {
        var dataSource = NpgsqlDataSource.Create(connectionString);
        var store = new SqlGantryStore(new PostgresDialect(dataSource), dataSource);
        await store.MigrateAsync(cancellationToken);
        return store;
    }
}
