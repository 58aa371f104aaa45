namespace Gantry.Storage;

/// <summary>
/// One attempt to take or keep a lease. <paramref name="Continuing"/> says the holder has acted
/// without a gap since its last renewal: only then does the term (and its epoch) carry on; any
/// other win starts a new term. <paramref name="Now"/> null means the database's own clock.
/// </summary>
public sealed record LeaseRequest(string Lease, string Holder, TimeSpan Ttl, bool Continuing, DateTimeOffset? Now = null);
