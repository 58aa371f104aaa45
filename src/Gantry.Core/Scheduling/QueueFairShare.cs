namespace Gantry.Core.Scheduling;

/// <summary>A queue's dominant share of the pool and its entitlement (both 0..1); <paramref name="Demanding"/> when it holds or wants capacity.</summary>
public readonly record struct QueueFairShare(double Share, double Entitlement, bool Demanding);
