using Gantry.Core.Scheduling;

namespace Gantry.Server.Scheduling;

/// <summary>The most recent round's answer, kept so "why is my job queued?" needs no new round.</summary>
public sealed class LastRound
{
    private volatile Round? _round;

    public Round? Current => _round;

    public void Record(SchedulingSnapshot snapshot, SchedulingResult result, TimeSpan duration) =>
        _round = new Round(snapshot, result, duration);

    public sealed record Round(SchedulingSnapshot Snapshot, SchedulingResult Result, TimeSpan Duration)
    {
        public DateTimeOffset At => Snapshot.Now;
    }
}
