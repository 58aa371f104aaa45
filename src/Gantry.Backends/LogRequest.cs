namespace Gantry.Backends;

/// <summary>Which log and how much of it: <paramref name="Tail"/> last lines (null: all), following or not.</summary>
public sealed record LogRequest(bool Follow = false, int? Tail = null, string? Replica = null);
