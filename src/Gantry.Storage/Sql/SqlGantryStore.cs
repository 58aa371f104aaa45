using Dapper;

namespace Gantry.Storage.Sql;

/// <summary>The store over one SQL database; the dialect is the only difference between SQLite and PostgreSQL.</summary>
public sealed class SqlGantryStore : IGantryStore
{
    private readonly SqlDatabase _database;
    private readonly SqlJobStore _jobs;
    private readonly SqlMetricStore _metrics;
    private readonly IAsyncDisposable? _owned;

    public SqlGantryStore(SqlDialect dialect, IAsyncDisposable? owned = null)
    {
        _database = new SqlDatabase(dialect);
        _jobs = new SqlJobStore(_database);
        _owned = owned;
        Queues = new SqlQueueStore(_database);
        Clusters = new SqlClusterStore(_database);
        Shares = new SqlClusterShareStore(_database);
        KeyRing = new SqlKeyRingStore(_database);
        Users = new SqlUserStore(_database);
        _metrics = new SqlMetricStore(_database);
        JobTokens = new SqlJobTokenStore(_database);
        Tokens = new SqlTokenStore(_database);
        Audit = new SqlAuditStore(_database);
        Leases = new SqlLeaseStore(_database);
        Replicas = new SqlReplicaStore(_database);
        Experiments = new SqlExperimentStore(_database);
    }

    public string Dialect => _database.Dialect.Name;

    public IJobStore Jobs => _jobs;
    public IQueueStore Queues { get; }
    public IClusterStore Clusters { get; }
    public IClusterShareStore Shares { get; }
    public IKeyRingStore KeyRing { get; }
    public IUserStore Users { get; }
    public IMetricStore Metrics => _metrics;
    public IJobTokenStore JobTokens { get; }
    public ITokenStore Tokens { get; }
    public IAuditStore Audit { get; }
    public ILeaseStore Leases { get; }
    public IReplicaStore Replicas { get; }
    public IExperimentStore Experiments { get; }

    public Task MigrateAsync(CancellationToken cancellationToken) => new Migrator(_database).MigrateAsync(cancellationToken);

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken);
            return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT 1", cancellationToken: cancellationToken)) == 1;
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _jobs.DisposeAsync();
        await _metrics.DisposeAsync();
        _database.Dispose();
        if (_owned is not null)
        {
            await _owned.DisposeAsync();
        }
    }
}
