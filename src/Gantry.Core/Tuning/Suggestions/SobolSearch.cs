namespace Gantry.Core.Tuning.Suggestions;

/// <summary>
/// Katib's <c>sobol</c>: trial n gets Sobol point n + 1 mapped through each parameter's prior
/// (<see cref="PriorSampler"/>). Point 0 (every parameter at its minimum) is skipped: a corner is
/// a poor first trial. The index is the number of trials so far, so the sequence continues across
/// calls and restarts. The seed is not used: the sequence is unscrambled.
/// </summary>
public sealed class SobolSearch : ISuggestionAlgorithm
{
    public string Name => AlgorithmNames.Sobol;

    public SuggestionResult Suggest(SuggestionRequest request)
    {
        var sequence = new SobolSequence(request.Space.Dimensions);
        var result = new List<IReadOnlyList<ParameterAssignment>>(request.Count);
        for (var n = 0; n < request.Count; n++)
        {
            var u = sequence.Point(request.History.Count + n + 1);
            var point = new double[u.Length];
            for (var i = 0; i < u.Length; i++)
            {
                point[i] = PriorSampler.Map(request.Space.Parameters[i], u[i]);
            }
            result.Add(request.Space.Decode(point));
        }
        return new SuggestionResult(result, Exhausted: false);
    }
}
