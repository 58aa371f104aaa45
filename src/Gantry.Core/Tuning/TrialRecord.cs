namespace Gantry.Core.Tuning;

/// <summary>
/// One trial as the algorithms and the progression see it: its assignments, its state and its
/// objective value (the objective metric under its strategy; null when there is none). History
/// lists are in creation order, which is the order TPE weighs trials by.
/// </summary>
public sealed record TrialRecord(string Name, IReadOnlyList<ParameterAssignment> Assignments, TrialState State, double? Objective);
