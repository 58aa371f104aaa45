namespace Gantry.Core.Tuning.Suggestions;

/// <summary>
/// Everything an algorithm may look at: the space, the direction, every trial so far (any state,
/// creation order), the algorithm's settings, how many assignments are wanted and the seed that
/// makes the answer reproducible (see <see cref="SuggestionSeed"/>).
/// </summary>
public sealed record SuggestionRequest(
    SearchSpace Space,
    ObjectiveType Direction,
    IReadOnlyList<TrialRecord> History,
    AlgorithmSpec Algorithm,
    int Count,
    int Seed);
