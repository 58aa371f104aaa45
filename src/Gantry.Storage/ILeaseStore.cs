namespace Gantry.Storage;

/// <summary>Leases with a fencing epoch: how replicas agree on one leader.</summary>
public interface ILeaseStore
{
    /// <summary>
    /// Takes the lease if it is free or expired, or renews it if the caller holds it; returns the
    /// epoch of the caller's term, or null when another holder's lease has not expired.
    /// </summary>
    Task<long?> TryAcquireAsync(LeaseRequest request, CancellationToken cancellationToken);

    /// <summary>Ends the holder's lease now (graceful shutdown), so a standby takes over at its next try.</summary>
    Task ReleaseAsync(string lease, string holder, CancellationToken cancellationToken);

    Task<LeaseRecord?> GetAsync(string lease, CancellationToken cancellationToken);

    /// <summary>The database's clock, which judges expiry.</summary>
    Task<DateTimeOffset> NowAsync(CancellationToken cancellationToken);
}
