namespace Gantry.Storage;

/// <summary>Experiments per state and trials per state (Katib's names).</summary>
public sealed record ExperimentCounts(IReadOnlyDictionary<string, long> Experiments, IReadOnlyDictionary<string, long> Trials);
