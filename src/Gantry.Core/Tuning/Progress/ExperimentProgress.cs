namespace Gantry.Core.Tuning.Progress;

/// <summary>
/// The experiment's progression as a pure function of its spec and its trials (creation order),
/// checked in Katib's order (<c>status_util.go</c>): goal reached by the best trial → Succeeded;
/// failed + metrics-unavailable trials reaching <c>maxFailedTrialCount</c> → Failed; completed
/// trials reaching <c>maxTrialCount</c> → Succeeded; the algorithm exhausted with nothing active →
/// Succeeded; otherwise Running (Created before the first trial), creating trials up to
/// <c>parallelTrialCount</c> active and <c>maxTrialCount</c> in all.
/// </summary>
public static class ExperimentProgress
{
    public static ProgressDecision Decide(Experiment experiment, IReadOnlyList<TrialRecord> trials, bool suggestionsExhausted)
    {
        var counts = TrialCounts.From(trials.Select(t => t.State));
        var best = OptimalTrial.Find(experiment.Objective, trials);
        if (best?.Objective is { } value && experiment.Objective.Reaches(value))
        {
            return Finished(ExperimentConditionType.Succeeded, ExperimentReasons.GoalReached, ExperimentReasons.GoalReachedMessage, counts, best);
        }
        var failed = counts.FailedOrWithoutMetrics;
        if (experiment.MaxFailedTrialCount is { } maxFailed && failed > 0 && failed >= maxFailed)
        {
            return Finished(ExperimentConditionType.Failed, ExperimentReasons.Failed, ExperimentReasons.MaxFailedMessage, counts, best);
        }
        if (experiment.MaxTrialCount is { } max && counts.Completed >= max)
        {
            return Finished(ExperimentConditionType.Succeeded, ExperimentReasons.MaxTrialsReached, ExperimentReasons.MaxTrialsReachedMessage, counts, best);
        }
        if (suggestionsExhausted && counts.Active == 0)
        {
            return Finished(ExperimentConditionType.Succeeded, ExperimentReasons.SuggestionEndReached, ExperimentReasons.SuggestionEndReachedMessage, counts, best);
        }
        var budget = experiment.MaxTrialCount is { } limit ? limit - counts.Total : int.MaxValue;
        var toCreate = suggestionsExhausted ? 0 : Math.Max(0, Math.Min(experiment.ParallelTrialCount - counts.Active, budget));
        return counts.Total == 0 && toCreate == 0
            ? new ProgressDecision(ExperimentConditionType.Created, ExperimentReasons.Created, ExperimentReasons.CreatedMessage, 0, false, counts, best)
            : new ProgressDecision(ExperimentConditionType.Running, ExperimentReasons.Running, ExperimentReasons.RunningMessage, toCreate, false, counts, best);
    }

    /// <summary>
    /// Katib's resume rule: only an experiment that succeeded with <c>ExperimentMaxTrialsReached</c>,
    /// whose resumePolicy is not Never, may get a larger <c>maxTrialCount</c>, and it must exceed the
    /// trials already made. Null when allowed, else the reason.
    /// </summary>
    public static string? CheckResume(Experiment experiment, ProgressDecision current, int newMaxTrialCount)
    {
        if (current.State != ExperimentConditionType.Succeeded || current.Reason != ExperimentReasons.MaxTrialsReached)
        {
            return current.IsFinished
                ? $"only an experiment that ended with {ExperimentReasons.MaxTrialsReached} can be resumed, not one that ended with {current.Reason}"
                : null;
        }
        if (experiment.ResumePolicy == ResumePolicy.Never)
        {
            return "the experiment's resumePolicy is Never; set LongRunning or FromVolume to resume it";
        }
        return newMaxTrialCount > current.Counts.Total
            ? null
            : $"maxTrialCount must exceed the {current.Counts.Total} trials already made, not {newMaxTrialCount}";
    }

    private static ProgressDecision Finished(ExperimentConditionType state, string reason, string message, TrialCounts counts, TrialRecord? best) =>
        new(state, reason, message, 0, counts.Active > 0, counts, best);
}
