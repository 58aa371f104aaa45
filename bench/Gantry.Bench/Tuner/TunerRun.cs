using Gantry.Core.Tuning;
using Gantry.Core.Tuning.Suggestions;

namespace Gantry.Bench.Tuner;

/// <summary>
/// One run: a sampler minimising a function for a number of trials, one at a time (every
/// suggestion sees the whole history, which grows by one), the way the experiment controller
/// would run a <c>parallelTrialCount: 1</c> experiment with <c>random_state</c> set to the seed.
/// </summary>
public static class TunerRun
{
    /// <summary>The regret of the best value so far after each trial (index 0 = after trial 1).</summary>
    public static double[] Regrets(BenchmarkFunction function, string algorithm, int seed, int trials)
    {
        var sampler = SuggestionAlgorithms.For(algorithm);
        var spec = new AlgorithmSpec(algorithm, [new("random_state", seed.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        var history = new List<TrialRecord>(trials);
        var regrets = new double[trials];
        var best = double.PositiveInfinity;
        for (var n = 0; n < trials; n++)
        {
            var request = new SuggestionRequest(function.Space, ObjectiveType.Minimize, history, spec, 1, SuggestionSeed.Derive(spec, function.Name, n));
            var assignment = sampler.Suggest(request).Assignments.Single();
            // The value is computed from the assignment as the trial would see it (text), not the sampler's internal point.
            var value = function.Evaluate(function.Space.Encode(assignment) ?? throw new InvalidOperationException($"{algorithm} suggested a point outside the space"));
            best = Math.Min(best, value);
            regrets[n] = best - function.Optimum;
            history.Add(new TrialRecord($"t-{n}", assignment, TrialState.Succeeded, value));
        }
        return regrets;
    }
}
