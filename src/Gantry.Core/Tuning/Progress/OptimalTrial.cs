namespace Gantry.Core.Tuning.Progress;

/// <summary>Katib's <c>currentOptimalTrial</c>: among trials (any state) with an objective value, the best; the earliest wins a tie.</summary>
public static class OptimalTrial
{
    public static TrialRecord? Find(Objective objective, IReadOnlyList<TrialRecord> trials)
    {
        TrialRecord? best = null;
        foreach (var trial in trials)
        {
            if (trial.Objective is { } value && double.IsFinite(value) && (best is null || objective.IsBetter(value, best.Objective!.Value)))
            {
                best = trial;
            }
        }
        return best;
    }
}
