namespace Gantry.Storage;

/// <summary>
/// One attempt to take or keep a lease. <paramref name="Continuing"/> says the holder has acted
/// without a gap since its last renewal: only then does the term (and its epoch) carry on; any
/// other win starts a new term. <paramref name="Now"/> null means the database's own clock.
/// <paramref name="Force"/> takes the lease whoever holds it: only for a store that one process
/// alone may open (SQLite, guarded by the data dir's lock), where a holder left by a killed
/// process is known to be gone.
/// </summary>
public sealed record LeaseRequest(string Lease, string Holder, TimeSpan Ttl, bool Continuing, DateTimeOffset? Now = null, bool Force = false);
