namespace Gantry.Core.Scheduling;

public sealed record SchedulingSnapshot(
    DateTimeOffset Now,
    IReadOnlyList<PendingJob> Jobs,
    IReadOnlyList<ClusterView> Clusters);
