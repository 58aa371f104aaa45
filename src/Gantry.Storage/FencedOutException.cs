namespace Gantry.Storage;

/// <summary>A leader's write was refused because its term is over: another replica leads, or this one lost the lease.</summary>
public sealed class FencedOutException(LeaseFence fence)
    : Exception($"The write was refused: {fence} no longer leads.")
{
    public LeaseFence Fence { get; } = fence;
}
