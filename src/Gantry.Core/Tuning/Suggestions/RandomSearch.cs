namespace Gantry.Core.Tuning.Suggestions;

/// <summary>Katib's <c>random</c>: every parameter drawn independently from its prior (<see cref="PriorSampler"/>).</summary>
public sealed class RandomSearch : ISuggestionAlgorithm
{
    public string Name => AlgorithmNames.Random;

    public SuggestionResult Suggest(SuggestionRequest request)
    {
        var random = new Random(request.Seed);
        var result = new List<IReadOnlyList<ParameterAssignment>>(request.Count);
        for (var n = 0; n < request.Count; n++)
        {
            result.Add(request.Space.Decode(Draw(request.Space, random)));
        }
        return new SuggestionResult(result, Exhausted: false);
    }

    public static double[] Draw(SearchSpace space, Random random)
    {
        var point = new double[space.Dimensions];
        for (var i = 0; i < point.Length; i++)
        {
            point[i] = PriorSampler.Map(space.Parameters[i], random.NextDouble());
        }
        return point;
    }
}
