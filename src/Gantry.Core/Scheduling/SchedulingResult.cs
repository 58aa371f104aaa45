namespace Gantry.Core.Scheduling;

public sealed record SchedulingResult(
    IReadOnlyList<Placement> Placements,
    IReadOnlyList<Rejection> Rejections,
    IReadOnlyDictionary<string, WaitReason> Waiting);
