namespace Gantry.Core.Scheduling;

/// <summary>What a round decided: where jobs go, which fail, why the others wait, and what is held back.</summary>
public sealed record SchedulingResult(
    IReadOnlyList<Placement> Placements,
    IReadOnlyList<Rejection> Rejections,
    IReadOnlyDictionary<string, WaitReason> Waiting,
    IReadOnlyList<Reservation> Reservations,
    IReadOnlyList<ClusterOutcome> Clusters);
