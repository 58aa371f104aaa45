namespace Gantry.Storage;

/// <summary>The gateway processes sharing this database, each with its last heartbeat.</summary>
public interface IReplicaStore
{
    /// <summary>Records (or refreshes) the replica with <see cref="ReplicaRecord.HeartbeatAt"/> as its latest sign of life.</summary>
    Task HeartbeatAsync(ReplicaRecord replica, CancellationToken cancellationToken);

    Task<IReadOnlyList<ReplicaRecord>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Forgets a replica (it stopped gracefully).</summary>
    Task RemoveAsync(string id, CancellationToken cancellationToken);

    /// <summary>Forgets replicas silent since before <paramref name="before"/>; returns how many.</summary>
    Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
