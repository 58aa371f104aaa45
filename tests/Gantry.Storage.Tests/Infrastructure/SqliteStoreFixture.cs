using Gantry.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Gantry.Storage.Tests.Infrastructure;

/// <summary>A temporary SQLite file per test class, synchronous=FULL as in production.</summary>
public sealed class SqliteStoreFixture : StoreFixture
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "gantry-storage-tests", Guid.NewGuid().ToString("N"));

    public override string Dialect => "sqlite";

    protected override bool IsAvailable => true;

    public override Task<IGantryStore> OpenAsync(string location, CancellationToken cancellationToken) =>
        StoreFactory.OpenSqliteAsync(location, SqliteSynchronous.Full, cancellationToken);

    protected override Task<string> CreateEmptyDatabaseAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_directory);
        return Task.FromResult(Path.Combine(_directory, $"gantry-{Guid.NewGuid():N}.db"));
    }

    protected override (Sql.SqlDialect Dialect, IAsyncDisposable? Owned) RawDialect(string location) =>
        (new SqliteDialect(location, SqliteSynchronous.Full), null);

    protected override Task DropDatabaseAsync(string location) => Task.CompletedTask;

    protected override Task CleanUpAsync()
    {
        // Pooled connections keep the files open until their pool is cleared.
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
        return Task.CompletedTask;
    }
}
