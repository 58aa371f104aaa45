namespace Gantry.Core.Tuning.Suggestions;

/// <summary>
/// The next assignments (possibly fewer than asked) and whether the algorithm has no more points
/// to give (a grid fully used): Katib then ends the experiment with <c>ExperimentSuggestionEndReached</c>
/// once no trial is active.
/// </summary>
public sealed record SuggestionResult(IReadOnlyList<IReadOnlyList<ParameterAssignment>> Assignments, bool Exhausted);
