namespace Gantry.Core.Tuning.Tpe;

/// <summary>
/// Optuna's split of the history (tuning.md §1.2): completed trials (Succeeded with a value) sorted
/// best first fill the "below" (good) group up to gamma(n); if that needs more, early-stopped trials
/// follow, best value first, those without one last. Everything else that was evaluated, and every
/// pending or running trial (the constant liar), is "above". Failed, killed and metrics-less trials
/// are ignored. Both groups keep creation order, which their weights follow.
/// </summary>
internal sealed record TpeHistory(IReadOnlyList<double[]> Below, IReadOnlyList<double[]> Above, int Evaluated)
{
    public static TpeHistory Split(SuggestionView view, TpeSettings settings)
    {
        var complete = new List<(int Order, double[] Point, double Value)>();
        var pruned = new List<(int Order, double[] Point, double? Value)>();
        var liars = new List<(int Order, double[] Point)>();
        for (var i = 0; i < view.Trials.Count; i++)
        {
            var (point, state, value) = view.Trials[i];
            switch (state)
            {
                case TrialState.Succeeded when value is { } v && double.IsFinite(v):
                    complete.Add((i, point, view.Direction == ObjectiveType.Minimize ? v : -v));
                    break;
                case TrialState.EarlyStopped:
                    pruned.Add((i, point, value is { } p && double.IsFinite(p) ? (view.Direction == ObjectiveType.Minimize ? p : -p) : null));
                    break;
                case TrialState.Created or TrialState.Running:
                    liars.Add((i, point));
                    break;
            }
        }
        var evaluated = complete.Count + pruned.Count;
        var belowCount = settings.Below(evaluated);
        var ranked = complete.OrderBy(t => t.Value).ThenBy(t => t.Order).Select(t => (t.Order, t.Point))
            .Concat(pruned.OrderBy(t => t.Value is null).ThenBy(t => t.Value ?? 0).ThenBy(t => t.Order).Select(t => (t.Order, t.Point)))
            .ToList();
        var below = ranked.Take(belowCount).OrderBy(t => t.Order).Select(t => t.Point).ToList();
        var above = ranked.Skip(belowCount).Concat(liars).OrderBy(t => t.Order).Select(t => t.Point).ToList();
        return new TpeHistory(below, above, evaluated);
    }
}
