using Gantry.Core.Tuning.Suggestions;

namespace Gantry.Core.Tuning.Tpe;

/// <summary>
/// Optuna's TPE (tuning.md §1.2): random from the priors until <c>n_startup_trials</c> trials were
/// evaluated; then split the history into good (below) and bad (above, with pending and running
/// trials as constant liars), fit l(x) to the good and g(x) to the bad, draw <c>n_ei_candidates</c>
/// points from l and keep the one with the largest log l(x) − log g(x). Several suggestions in one
/// call are made one after another, each earlier one counting as running for the next.
/// <c>tpe</c> samples each parameter on its own; <c>multivariate-tpe</c> samples them jointly.
/// </summary>
public sealed class TpeSampler(bool multivariate) : ISuggestionAlgorithm
{
    public string Name => multivariate ? AlgorithmNames.MultivariateTpe : AlgorithmNames.Tpe;

    public SuggestionResult Suggest(SuggestionRequest request)
    {
        var settings = TpeSettings.From(request.Algorithm, multivariate);
        var view = SuggestionView.From(request.Space, request.Direction, request.History);
        var random = new Random(request.Seed);
        var result = new List<IReadOnlyList<ParameterAssignment>>(request.Count);
        for (var n = 0; n < request.Count; n++)
        {
            var point = Next(view, settings, random);
            result.Add(request.Space.Decode(point));
            view.Trials.Add((point, TrialState.Running, null));
        }
        return new SuggestionResult(result, Exhausted: false);
    }

    /// <summary>
    /// One suggestion. Gantry's addition to Optuna: a point equal to a pending or running trial's is
    /// drawn again (a few times, then from the prior), since on small discrete spaces the liar alone
    /// does not stop a batch from repeating itself and each repeat wastes a trial's budget.
    /// </summary>
    internal static double[] Next(SuggestionView view, TpeSettings settings, Random random)
    {
        var active = view.Trials.Where(t => t.State.IsActive()).Select(t => t.Point).ToList();
        var history = TpeHistory.Split(view, settings);
        var startup = history.Evaluated < Math.Max(1, settings.StartupTrials);
        double[] point = [];
        for (var attempt = 0; attempt < 16; attempt++)
        {
            point = startup || attempt >= 8 ? RandomSearch.Draw(view.Space, random) : Sample(view.Space, history, settings, random);
            if (!active.Any(a => a.AsSpan().SequenceEqual(point)))
            {
                break;
            }
        }
        return point;
    }

    private static double[] Sample(SearchSpace space, TpeHistory history, TpeSettings settings, Random random)
    {
        var point = new double[space.Dimensions];
        var groups = settings.Multivariate
            ? [Enumerable.Range(0, space.Dimensions).ToArray()]
            : Enumerable.Range(0, space.Dimensions).Select(d => new[] { d }).ToArray();
        foreach (var dimensions in groups)
        {
            var below = new ParzenEstimator(space, dimensions, history.Below, settings);
            var above = new ParzenEstimator(space, dimensions, history.Above, settings);
            var candidate = new double[point.Length];
            var bestScore = double.NegativeInfinity;
            double[]? best = null;
            for (var c = 0; c < Math.Max(1, settings.EiCandidates); c++)
            {
                below.Sample(random, candidate);
                var score = below.LogDensity(candidate) - above.LogDensity(candidate);
                if (best is null || score > bestScore)
                {
                    bestScore = score;
                    best = (double[])candidate.Clone();
                }
            }
            foreach (var d in dimensions)
            {
                point[d] = best![d];
            }
        }
        return point;
    }
}
