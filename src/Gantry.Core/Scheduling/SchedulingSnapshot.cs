namespace Gantry.Core.Scheduling;

/// <summary>
/// Everything one scheduling round may look at: the queued jobs, the queues with what they hold
/// now, the clusters with what is free on them now, and the time. Nothing else.
/// </summary>
public sealed record SchedulingSnapshot(
    DateTimeOffset Now,
    IReadOnlyList<PendingJob> Jobs,
    IReadOnlyList<QueueView> Queues,
    IReadOnlyList<ClusterView> Clusters,
    SchedulerSettings Settings);
