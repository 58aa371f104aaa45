namespace Gantry.Storage;

/// <summary>A lease as stored: who holds it, in which term, and until when.</summary>
public sealed record LeaseRecord(string Lease, string Holder, long Epoch, DateTimeOffset AcquiredAt, DateTimeOffset RenewedAt, DateTimeOffset ExpiresAt);
