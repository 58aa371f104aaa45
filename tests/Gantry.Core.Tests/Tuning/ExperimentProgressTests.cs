using Gantry.Core.Tuning;
using Gantry.Core.Tuning.Progress;

namespace Gantry.Core.Tests.Tuning;

public class ExperimentProgressTests
{
    // maxTrialCount 6, parallelTrialCount 2, maxFailedTrialCount 2, minimize loss with goal 0.01.
    private static readonly Experiment Small = ExperimentReader.Read(KatibExperiments.Small());

    private static TrialRecord Trial(int n, TrialState state, double? value = null) =>
        new($"small-{n}", [new("lr", "0.01"), new("layers", "2"), new("opt", "sgd")], state, value);

    [Fact]
    public void A_new_experiment_creates_parallelTrialCount_trials()
    {
        var decision = ExperimentProgress.Decide(Small, [], suggestionsExhausted: false);

        Assert.Equal(ExperimentConditionType.Running, decision.State);
        Assert.Equal(2, decision.TrialsToCreate);
        Assert.Null(decision.OptimalTrial);
    }

    [Fact]
    public void Free_slots_are_filled_but_never_past_maxTrialCount()
    {
        TrialRecord[] trials = [Trial(0, TrialState.Succeeded, 0.5), Trial(1, TrialState.Running), Trial(2, TrialState.Succeeded, 0.4),
            Trial(3, TrialState.Failed), Trial(4, TrialState.Succeeded, 0.3)];

        var decision = ExperimentProgress.Decide(Small, trials, suggestionsExhausted: false);

        Assert.Equal(1, decision.TrialsToCreate);
        Assert.Equal("small-4", decision.OptimalTrial!.Name);
        Assert.Equal(new TrialCounts(0, 1, 3, 1, 0, 0, 0), decision.Counts);
    }

    [Fact]
    public void Reaching_the_goal_succeeds_first_and_stops_the_active_trials()
    {
        TrialRecord[] trials = [Trial(0, TrialState.Failed), Trial(1, TrialState.Failed), Trial(2, TrialState.EarlyStopped, 0.005), Trial(3, TrialState.Running)];

        var decision = ExperimentProgress.Decide(Small, trials, suggestionsExhausted: false);

        Assert.Equal((ExperimentConditionType.Succeeded, ExperimentReasons.GoalReached), (decision.State, decision.Reason));
        Assert.True(decision.StopActiveTrials);
        Assert.Equal(0, decision.TrialsToCreate);
    }

    [Fact]
    public void Failed_and_metrics_unavailable_trials_together_reach_maxFailedTrialCount()
    {
        var decision = ExperimentProgress.Decide(Small, [Trial(0, TrialState.Failed), Trial(1, TrialState.MetricsUnavailable)], false);

        Assert.Equal((ExperimentConditionType.Failed, ExperimentReasons.Failed), (decision.State, decision.Reason));
        Assert.Equal(ExperimentReasons.MaxFailedMessage, decision.Message);
    }

    [Fact]
    public void Completed_trials_reaching_maxTrialCount_succeed_and_only_then_can_a_long_running_experiment_resume()
    {
        var trials = Enumerable.Range(0, 6).Select(i => Trial(i, i == 5 ? TrialState.Killed : TrialState.Succeeded, i == 5 ? null : 0.5 + i)).ToList();

        var decision = ExperimentProgress.Decide(Small, trials, false);

        Assert.Equal(ExperimentReasons.MaxTrialsReached, decision.Reason);
        Assert.Contains("resumePolicy is Never", ExperimentProgress.CheckResume(Small, decision, 10), StringComparison.Ordinal);
        var longRunning = Small with { ResumePolicy = ResumePolicy.LongRunning };
        Assert.Null(ExperimentProgress.CheckResume(longRunning, decision, 10));
        Assert.Contains("must exceed the 6 trials", ExperimentProgress.CheckResume(longRunning, decision, 6), StringComparison.Ordinal);
        var resumed = ExperimentProgress.Decide(longRunning with { MaxTrialCount = 10 }, trials, false);
        Assert.Equal((ExperimentConditionType.Running, 2), (resumed.State, resumed.TrialsToCreate));
    }

    [Fact]
    public void An_exhausted_algorithm_ends_the_experiment_once_no_trial_is_active()
    {
        TrialRecord[] running = [Trial(0, TrialState.Succeeded, 0.5), Trial(1, TrialState.Running)];

        Assert.Equal((ExperimentConditionType.Running, 0), (ExperimentProgress.Decide(Small, running, true).State, ExperimentProgress.Decide(Small, running, true).TrialsToCreate));
        var done = ExperimentProgress.Decide(Small, [Trial(0, TrialState.Succeeded, 0.5), Trial(1, TrialState.Succeeded, 0.7)], true);
        Assert.Equal(ExperimentReasons.SuggestionEndReached, done.Reason);
    }
}
