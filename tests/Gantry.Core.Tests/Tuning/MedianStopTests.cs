using Gantry.Core.Tuning;
using Gantry.Core.Tuning.EarlyStopping;

namespace Gantry.Core.Tests.Tuning;

public class MedianStopTests
{
    private static readonly Objective Maximize = new(ObjectiveType.Maximize, "accuracy", null, [], new Dictionary<string, MetricStrategy>());
    private static readonly Objective Minimize = new(ObjectiveType.Minimize, "loss", null, [], new Dictionary<string, MetricStrategy>());

    [Fact]
    public void The_threshold_is_the_mean_of_each_succeeded_trials_average_over_its_first_start_step_values()
    {
        var rule = MedianStop.Rule(new MedianStopSettings(MinTrialsRequired: 2, StartStep: 2), Maximize,
            [[0.5, 0.7, 0.99], [0.6, 0.8], []]);

        // (0.6 + 0.7) / 2 = 0.65; the trial with no values does not count.
        Assert.NotNull(rule);
        Assert.Equal(0.65, rule.Value, 12);
        Assert.True(rule.StopWhenLess);
        Assert.Null(MedianStop.Rule(new MedianStopSettings(MinTrialsRequired: 3, StartStep: 2), Maximize, [[0.5, 0.7], [0.6, 0.8], []]));
    }

    [Fact]
    public void A_trial_is_stopped_only_after_start_step_reports_and_only_when_its_best_is_worse()
    {
        var rule = MedianStop.Rule(new MedianStopSettings(1, 3), Maximize, [[0.8, 0.8, 0.8]]);

        Assert.False(MedianStop.Decide(rule, [0.1, 0.1]).Stop);
        Assert.True(MedianStop.Decide(rule, [0.1, 0.1, 0.2]).Stop);
        Assert.False(MedianStop.Decide(rule, [0.1, 0.9, 0.2]).Stop);
        Assert.False(MedianStop.Decide(null, [0.0, 0.0, 0.0, 0.0]).Stop);
    }

    [Fact]
    public void When_minimizing_a_trial_whose_lowest_value_is_above_the_threshold_stops()
    {
        var rule = MedianStop.Rule(new MedianStopSettings(2, 1), Minimize, [[0.3], [0.5]]);

        var decision = MedianStop.Decide(rule, [0.9, 0.35]);

        Assert.False(decision.Stop);
        Assert.True(MedianStop.Decide(rule, [0.9, 0.45]).Stop);
        Assert.Contains("threshold 0.4", MedianStop.Decide(rule, [0.9, 0.6]).Reason, StringComparison.Ordinal);
    }
}
