using Gantry.Core.Tuning;
using Gantry.Core.Tuning.Suggestions;

namespace Gantry.Core.Tests.Tuning;

public class GridSearchTests
{
    [Fact]
    public void Katibs_grid_example_has_9_by_5_points_written_as_the_step_writes_them()
    {
        var experiment = KatibExperiments.Read("hp-tuning_grid.yaml");

        Assert.Equal(["0.01", "0.015", "0.02", "0.025", "0.03", "0.035", "0.04", "0.045", "0.05"],
            GridPoints.Values(experiment.Parameters[0]).Select(v => experiment.Parameters[0].Format(v)));
        Assert.Equal(["0.5", "0.6", "0.7", "0.8", "0.9"], GridPoints.Values(experiment.Parameters[1]).Select(v => experiment.Parameters[1].Format(v)));
        Assert.Equal(45, new GridPoints(experiment.Parameters).Count);
    }

    [Fact]
    public void Batches_enumerate_every_point_exactly_once_then_say_exhausted()
    {
        var space = SuggestionAlgorithmTests.GridSpace();
        var history = new List<TrialRecord>();
        var grid = new GridSearch();
        SuggestionResult result;
        var call = 0;
        do
        {
            result = grid.Suggest(Spaces.Request(space, AlgorithmNames.Grid, history, 4, seed: call++));
            // Mix states: a failed or running trial has still used its point.
            history.AddRange(result.Assignments.Select((a, i) => new TrialRecord($"t{history.Count + i}", a, (TrialState)(i % 4), null)));
        }
        while (!result.Exhausted);

        Assert.Equal(9 * 3 * 2, history.Count);
        Assert.Equal(history.Count, history.Select(t => string.Join(",", t.Assignments)).Distinct().Count());
        var after = grid.Suggest(Spaces.Request(space, AlgorithmNames.Grid, history, 4, seed: 99));
        Assert.True(after.Exhausted);
        Assert.Empty(after.Assignments);
    }
}
