using Gantry.Core.Tuning;
using Gantry.Core.Tuning.Suggestions;

namespace Gantry.Core.Tests.Tuning;

/// <summary>Search spaces, histories and requests for the algorithm tests.</summary>
internal static class Spaces
{
    /// <summary>Every kind of parameter: stepped and log doubles, a stepped int, a log int, normal, discrete and categorical.</summary>
    public static SearchSpace Mixed() => new([
        Parameter.Double("dropout", 0.1, 0.5, step: 0.05),
        Parameter.Double("lr", 1e-4, 1e-1, distribution: Distribution.LogUniform),
        Parameter.Int("layers", 2, 8, step: 2),
        Parameter.Int("batch", 16, 512, distribution: Distribution.LogUniform),
        Parameter.Double("momentum", 0.5, 0.99, distribution: Distribution.Normal),
        Parameter.Discrete("width", "64", "128", "256"),
        Parameter.Categorical("opt", "sgd", "adam", "rmsprop"),
    ]);

    public static SuggestionRequest Request(SearchSpace space, string algorithm, IReadOnlyList<TrialRecord> history, int count, int seed,
        ObjectiveType direction = ObjectiveType.Minimize, params (string Name, string Value)[] settings) =>
        new(space, direction, history, new AlgorithmSpec(algorithm, [.. settings.Select(s => new KeyValuePair<string, string>(s.Name, s.Value))]), count, seed);

    public static TrialRecord Done(SearchSpace space, double[] point, double value, int n) =>
        new($"t-{n}", space.Decode(point), TrialState.Succeeded, value);

    public static TrialRecord Running(SearchSpace space, double[] point, int n) =>
        new($"t-{n}", space.Decode(point), TrialState.Running, null);

    /// <summary>Runs <paramref name="trials"/> sequential trials of <paramref name="algorithm"/> on f and returns the best value found.</summary>
    public static double Minimise(SearchSpace space, string algorithm, Func<double[], double> f, int trials, int seed)
    {
        var history = new List<TrialRecord>();
        var best = double.PositiveInfinity;
        for (var n = 0; n < trials; n++)
        {
            var result = SuggestionAlgorithms.For(algorithm).Suggest(Request(space, algorithm, history, 1, seed * 1000 + n));
            var assignment = Assert.Single(result.Assignments);
            var point = space.Encode(assignment)!;
            var value = f(point);
            best = Math.Min(best, value);
            history.Add(new TrialRecord($"t-{n}", assignment, TrialState.Succeeded, value));
        }
        return best;
    }
}
