using Gantry.Core.Tuning.Progress;

namespace Gantry.Core.Experiments;

/// <summary>
/// What the controller does after one look at an experiment: trials whose row changed (state,
/// metrics, early stops), jobs to cancel (early-stopped trials, or every active one once the
/// experiment is over), the new trials to record and then submit, and the experiment as it is now.
/// </summary>
public sealed record ExperimentPlan(
    IReadOnlyList<TrialRun> ChangedTrials,
    IReadOnlyList<string> JobsToCancel,
    IReadOnlyList<TrialRun> NewTrials,
    ProgressDecision Decision,
    ExperimentRun Experiment);
