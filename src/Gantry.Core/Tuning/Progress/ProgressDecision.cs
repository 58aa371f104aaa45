namespace Gantry.Core.Tuning.Progress;

/// <summary>
/// What the controller should do now: the experiment's state with Katib's reason and message, how
/// many trials to create, whether to stop the active ones (the experiment is over), the counts and
/// the best trial so far (Katib's <c>currentOptimalTrial</c>).
/// </summary>
public sealed record ProgressDecision(
    ExperimentConditionType State,
    string Reason,
    string Message,
    int TrialsToCreate,
    bool StopActiveTrials,
    TrialCounts Counts,
    TrialRecord? OptimalTrial)
{
    public bool IsFinished => State is ExperimentConditionType.Succeeded or ExperimentConditionType.Failed;
}
