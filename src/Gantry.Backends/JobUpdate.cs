using Gantry.Core.Jobs;

namespace Gantry.Backends;

/// <summary>A job reached <paramref name="State"/> for <paramref name="Reason"/>; backend state and UI link when they change.</summary>
public sealed record JobUpdate(string JobId, JobState State, string Reason, string? BackendState = null, string? SparkUiUrl = null);
