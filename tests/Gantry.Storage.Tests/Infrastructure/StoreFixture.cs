using Gantry.Storage.Sql;

namespace Gantry.Storage.Tests.Infrastructure;

/// <summary>
/// One database per test class, with a store open on it. Tests of a class run one after
/// another and share the database, so each test works in its own queues, owners and names
/// (see <see cref="Unique"/>) and counts by difference.
/// </summary>
public abstract class StoreFixture : IAsyncLifetime
{
    private readonly List<string> _databases = [];
    private IGantryStore? _store;

    /// <summary>The store of this class's database.</summary>
    public IGantryStore Store => _store ?? throw new InvalidOperationException($"The {Dialect} fixture has no database.");

    /// <summary>Where this class's database is: a file path or a connection string.</summary>
    public string Location { get; private set; } = "";

    public abstract string Dialect { get; }

    /// <summary>Opens another store (migrating it, as the server does at start) on the database at <paramref name="location"/>.</summary>
    public abstract Task<IGantryStore> OpenAsync(string location, CancellationToken cancellationToken);

    /// <summary>Creates an empty database that is removed with the fixture; returns its location.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        var location = await CreateEmptyDatabaseAsync(cancellationToken);
        _databases.Add(location);
        return location;
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the database at <paramref name="location"/> without opening a store
    /// (which would migrate it): how a test builds a database as an older Gantry left it.
    /// </summary>
    public async Task WithDatabaseAsync(string location, Func<SqlDatabase, Task> work)
    {
        var (dialect, owned) = RawDialect(location);
        try
        {
            using var database = new SqlDatabase(dialect);
            await work(database);
        }
        finally
        {
            if (owned is not null)
            {
                await owned.DisposeAsync();
            }
        }
    }

    /// <summary>A dialect on the database at <paramref name="location"/>, and what to dispose of with it.</summary>
    protected abstract (SqlDialect Dialect, IAsyncDisposable? Owned) RawDialect(string location);

    protected abstract bool IsAvailable { get; }

    protected abstract Task<string> CreateEmptyDatabaseAsync(CancellationToken cancellationToken);

    protected abstract Task DropDatabaseAsync(string location);

    protected virtual Task CleanUpAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        if (!IsAvailable)
        {
            return;
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Location = await CreateDatabaseAsync(timeout.Token);
        _store = await OpenAsync(Location, timeout.Token);
    }

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
        foreach (var location in _databases)
        {
            await DropDatabaseAsync(location);
        }
        await CleanUpAsync();
    }
}
