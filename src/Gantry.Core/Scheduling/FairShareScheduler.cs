namespace Gantry.Core.Scheduling;

/// <summary>
/// The scheduler Gantry exists for. Each round, queues take turns by priority and then by
/// dominant resource share over weight (DRF); within a queue, job priority then submission
/// order. A job goes, whole, to the cluster its queue's policy likes best among those where
/// all of it fits now, each pod on a node with room. Quotas are hard limits. A job that has
/// waited too long gets capacity held for it. Every job left waiting gets a reason, and a job
/// that can never run where it is allowed is rejected rather than left waiting forever.
/// Preemption is not done: a running job is never stopped to make room.
/// </summary>
public sealed class FairShareScheduler : IScheduler
{
    public SchedulingResult Schedule(SchedulingSnapshot snapshot) => new SchedulingRound(snapshot).Run();
}
