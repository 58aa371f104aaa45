using Gantry.Core.Tuning.Progress;

namespace Gantry.Core.Experiments;

/// <summary>The trial counts and Katib's <c>currentOptimalTrial</c> as of the controller's last pass.</summary>
public sealed record ExperimentSummary(TrialCounts Counts, BestTrial? Best)
{
    public static readonly ExperimentSummary Empty = new(new TrialCounts(0, 0, 0, 0, 0, 0, 0), null);
}
