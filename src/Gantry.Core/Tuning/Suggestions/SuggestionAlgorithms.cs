using Gantry.Core.Tuning.Tpe;

namespace Gantry.Core.Tuning.Suggestions;

/// <summary>The algorithms Gantry runs, by Katib name.</summary>
public static class SuggestionAlgorithms
{
    public static ISuggestionAlgorithm For(string name) => name switch
    {
        AlgorithmNames.Random => new RandomSearch(),
        AlgorithmNames.Grid => new GridSearch(),
        AlgorithmNames.Tpe => new TpeSampler(multivariate: false),
        AlgorithmNames.MultivariateTpe => new TpeSampler(multivariate: true),
        AlgorithmNames.Sobol => new SobolSearch(),
        _ => throw new ArgumentException($"'{name}' is not an algorithm Gantry runs.", nameof(name)),
    };

    /// <summary>Convenience: the next assignments for a validated experiment.</summary>
    public static SuggestionResult Suggest(Experiment experiment, IReadOnlyList<TrialRecord> history, int count, int seed) =>
        For(experiment.Algorithm.Name).Suggest(new SuggestionRequest(experiment.SearchSpace, experiment.Objective.Type, history, experiment.Algorithm, count, seed));
}
