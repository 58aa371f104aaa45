using Gantry.Core.Jobs;
using Gantry.Core.Tuning.Observations;

namespace Gantry.Core.Experiments;

/// <summary>
/// A trial with what the controller just read about it: its job's state and message (null before
/// the job exists or for a trial already settled) and the metrics reported so far, oldest first
/// (pushed ones by step then time, parsed ones in log order).
/// </summary>
public sealed record TrialSnapshot(TrialRun Trial, JobState? JobState, string? JobMessage, IReadOnlyList<MetricLog> Metrics)
{
    public static TrialSnapshot Settled(TrialRun trial) => new(trial, null, null, []);
}
