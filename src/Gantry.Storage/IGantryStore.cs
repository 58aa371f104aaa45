namespace Gantry.Storage;

/// <summary>
/// Everything Gantry keeps. Two implementations (SQLite, PostgreSQL) pass one contract test
/// suite; nothing above this layer knows which one it has.
/// </summary>
public interface IGantryStore : IAsyncDisposable
{
    IJobStore Jobs { get; }
    IQueueStore Queues { get; }
    IClusterStore Clusters { get; }
    IClusterShareStore Shares { get; }
    IKeyRingStore KeyRing { get; }
    IUserStore Users { get; }
    IMetricStore Metrics { get; }
    IJobTokenStore JobTokens { get; }
    ITokenStore Tokens { get; }
    IAuditStore Audit { get; }
    ILeaseStore Leases { get; }
    IReplicaStore Replicas { get; }
    IExperimentStore Experiments { get; }

    /// <summary>Applies pending schema migrations; safe to call from several replicas at once.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>True when the database answers a trivial query.</summary>
    Task<bool> PingAsync(CancellationToken cancellationToken);
}
