using Gantry.Core.Jobs;

namespace Gantry.Backends;

/// <summary>
/// A job reached <paramref name="State"/> for <paramref name="Reason"/>; backend state and UI link when they change.
/// With <paramref name="Note"/> the job does not change state: <paramref name="Reason"/> is something that
/// happened while it stays in <paramref name="State"/> (a replica restarted), recorded as an event from
/// that state to itself, and dropped if the job has meanwhile left that state.
/// </summary>
public sealed record JobUpdate(string JobId, JobState State, string Reason, string? BackendState = null, string? SparkUiUrl = null, bool Note = false);
