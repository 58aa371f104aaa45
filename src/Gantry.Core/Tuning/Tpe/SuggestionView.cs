namespace Gantry.Core.Tuning.Tpe;

/// <summary>The history encoded into the space (trials outside it dropped), in creation order, plus points suggested earlier in the same call as running trials.</summary>
internal sealed class SuggestionView(SearchSpace space, ObjectiveType direction)
{
    public SearchSpace Space { get; } = space;

    public ObjectiveType Direction { get; } = direction;

    public List<(double[] Point, TrialState State, double? Value)> Trials { get; } = [];

    public static SuggestionView From(SearchSpace space, ObjectiveType direction, IReadOnlyList<TrialRecord> history)
    {
        var view = new SuggestionView(space, direction);
        foreach (var trial in history)
        {
            if (space.Encode(trial.Assignments) is { } point)
            {
                view.Trials.Add((point, trial.State, trial.Objective));
            }
        }
        return view;
    }
}
