namespace Gantry.Core.Scheduling;

/// <summary>A cluster at the end of a round: free after the round's placements, and what is held back.</summary>
public sealed record ClusterOutcome(string Name, Resources.Resources Free, Resources.Resources Reserved, string? ReservedFor, IReadOnlyList<Resources.Resources> NodeFree);
