using Gantry.Core.Jobs;
using Gantry.Core.Tuning;
using Gantry.Core.Tuning.Observations;

namespace Gantry.Core.Experiments;

/// <summary>
/// A trial's state from its job's and its metrics: Created while the job waits (queued,
/// dispatching, submitted), Running while it runs, and when it ends Katib's rule (succeeded with an
/// objective value: Succeeded, without: MetricsUnavailable; failed: Failed), a cancelled job
/// Killed. A settled trial stays as it is; an early-stopped one too, though its job is being cancelled.
/// </summary>
public static class TrialRefresh
{
    public static TrialRun Refresh(Objective objective, TrialSnapshot snapshot, DateTimeOffset now)
    {
        var trial = snapshot.Trial;
        if (trial.State.IsCompleted() || snapshot.JobState is not { } job)
        {
            return trial;
        }
        var value = Observation.ObjectiveValue(objective, snapshot.Metrics);
        var observed = trial with
        {
            Objective = value,
            Metrics = Observation.Summarize(snapshot.Metrics, objective.AllMetricNames),
            ObjectiveHead = Series(objective, snapshot.Metrics).Take(TrialRun.MaxObjectiveHead).ToList(),
        };
        return job switch
        {
            JobState.Queued or JobState.Dispatching or JobState.Submitted => observed with { State = TrialState.Created },
            JobState.Running or JobState.Cancelling => observed with { State = TrialState.Running },
            JobState.Succeeded => Finish(observed, TrialStates.FromFinishedJob(true, value is not null), now,
                value is null ? $"the job succeeded but reported no {objective.MetricName}" : "the job succeeded"),
            JobState.Failed => Finish(observed, TrialState.Failed, now, snapshot.JobMessage ?? "the job failed"),
            _ => Finish(observed, TrialState.Killed, now, snapshot.JobMessage ?? "the job was cancelled"),
        };
    }

    /// <summary>The objective metric's values in report order, those that parse as finite numbers.</summary>
    public static IReadOnlyList<double> Series(Objective objective, IReadOnlyList<MetricLog> metrics) =>
        metrics.Where(m => m.Name == objective.MetricName)
            .Select(m => Observation.TryParse(m.Value, out var v) ? v : (double?)null)
            .OfType<double>()
            .ToList();

    private static TrialRun Finish(TrialRun trial, TrialState state, DateTimeOffset now, string message) =>
        trial with { State = state, FinishedAt = now, Message = message };
}
