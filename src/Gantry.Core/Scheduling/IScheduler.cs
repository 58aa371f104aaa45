namespace Gantry.Core.Scheduling;

/// <summary>
/// One scheduling round: a pure function from a snapshot to decisions. No I/O, no clock
/// but the snapshot's, the same answer for the same input.
/// </summary>
public interface IScheduler
{
    SchedulingResult Schedule(SchedulingSnapshot snapshot);
}
