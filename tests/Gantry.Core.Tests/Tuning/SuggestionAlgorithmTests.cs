using System.Globalization;
using Gantry.Core.Tuning;
using Gantry.Core.Tuning.Suggestions;

namespace Gantry.Core.Tests.Tuning;

/// <summary>What every algorithm owes: the same answer for the same seed, values inside the space and on its steps.</summary>
public class SuggestionAlgorithmTests
{
    public static TheoryData<string> Algorithms() => [.. AlgorithmNames.Supported];

    private static List<TrialRecord> History(SearchSpace space, int n)
    {
        var random = new Random(3);
        return [.. Enumerable.Range(0, n).Select(i => Spaces.Done(space, RandomSearch.Draw(space, random), random.NextDouble(), i))];
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void The_same_seed_and_history_give_the_same_assignments(string algorithm)
    {
        var space = algorithm == AlgorithmNames.Grid ? GridSpace() : Spaces.Mixed();
        var history = History(space, 15);

        var a = SuggestionAlgorithms.For(algorithm).Suggest(Spaces.Request(space, algorithm, history, 4, seed: 11));
        var b = SuggestionAlgorithms.For(algorithm).Suggest(Spaces.Request(space, algorithm, history, 4, seed: 11));

        Assert.Equal(4, a.Assignments.Count);
        Assert.Equal(a.Assignments.Select(x => string.Join(",", x)), b.Assignments.Select(x => string.Join(",", x)));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Every_value_is_inside_the_space_and_on_its_steps(string algorithm)
    {
        var space = algorithm == AlgorithmNames.Grid ? GridSpace() : Spaces.Mixed();
        var history = History(space, 12);

        for (var seed = 0; seed < 10; seed++)
        {
            var result = SuggestionAlgorithms.For(algorithm).Suggest(Spaces.Request(space, algorithm, history, 5, seed));
            foreach (var assignment in result.Assignments)
            {
                Assert.NotNull(space.Encode(assignment));
                foreach (var (parameter, value) in space.Parameters.Zip(assignment))
                {
                    AssertOnStep(parameter, value.Value);
                }
            }
        }
    }

    private static void AssertOnStep(Parameter parameter, string text)
    {
        if (!parameter.IsNumeric)
        {
            Assert.Contains(text, parameter.List);
            return;
        }
        var value = double.Parse(text, CultureInfo.InvariantCulture);
        Assert.InRange(value, parameter.Min, parameter.Max);
        if (parameter.GridStep is { } step)
        {
            var k = (value - parameter.Min) / step;
            Assert.True(Math.Abs(k - Math.Round(k)) < 1e-6, $"{parameter.Name}={text} is not on min + k·{step}");
        }
    }

    internal static SearchSpace GridSpace() => new([
        Parameter.Double("lr", 0.01, 0.05, step: 0.005),
        Parameter.Int("layers", 1, 3),
        Parameter.Categorical("opt", "sgd", "adam"),
    ]);
}
