namespace Gantry.Core.Tuning.Suggestions;

/// <summary>
/// Katib's <c>grid</c> (Optuna's GridSampler): each suggestion is a grid point no trial has taken
/// yet, in any state, picked at random by the seed as Optuna does. When no point is left the
/// result says Exhausted, and so does the call that hands out the last ones.
/// </summary>
public sealed class GridSearch : ISuggestionAlgorithm
{
    public string Name => AlgorithmNames.Grid;

    public SuggestionResult Suggest(SuggestionRequest request)
    {
        var grid = new GridPoints(request.Space.Parameters);
        var taken = new HashSet<long>();
        foreach (var trial in request.History)
        {
            if (request.Space.Encode(trial.Assignments) is { } point && grid.IndexOf(point) is { } index)
            {
                taken.Add(index);
            }
        }
        var free = new List<long>();
        for (long i = 0; i < grid.Count; i++)
        {
            if (!taken.Contains(i))
            {
                free.Add(i);
            }
        }
        var random = new Random(request.Seed);
        var result = new List<IReadOnlyList<ParameterAssignment>>();
        while (result.Count < request.Count && free.Count > 0)
        {
            var pick = random.Next(free.Count);
            result.Add(request.Space.Decode(grid.Point(free[pick])));
            free[pick] = free[^1];
            free.RemoveAt(free.Count - 1);
        }
        return new SuggestionResult(result, Exhausted: free.Count == 0);
    }
}
