namespace Gantry.Core.Tuning;

/// <summary>Katib's groupings of trial states and the rule that turns a finished job into a trial state.</summary>
public static class TrialStates
{
    /// <summary>Created (pending) or Running: the trial still holds one of the parallel slots.</summary>
    public static bool IsActive(this TrialState state) => state is TrialState.Created or TrialState.Running;

    public static bool IsCompleted(this TrialState state) => !state.IsActive();

    /// <summary>
    /// <c>trial_controller_util.go</c>: a job that succeeded with an objective value is Succeeded,
    /// without one MetricsUnavailable; a failed job is Failed.
    /// </summary>
    public static TrialState FromFinishedJob(bool jobSucceeded, bool hasObjectiveValue) =>
        !jobSucceeded ? TrialState.Failed
        : hasObjectiveValue ? TrialState.Succeeded
        : TrialState.MetricsUnavailable;
}
