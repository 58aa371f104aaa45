namespace Gantry.Storage;

/// <summary>
/// What a leader's write carries to prove it still leads: the lease, its holder and the term's
/// epoch. The store checks all three in the write's own transaction; a takeover changes the
/// holder or bumps the epoch, so a deposed leader's write fails with <see cref="FencedOutException"/>.
/// </summary>
public sealed record LeaseFence(string Lease, string Holder, long Epoch)
{
    public override string ToString() => $"lease '{Lease}' epoch {Epoch} held by {Holder}";
}
