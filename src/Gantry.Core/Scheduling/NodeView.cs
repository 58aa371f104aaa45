namespace Gantry.Core.Scheduling;

/// <summary>One node: what it can hold at most, and what is free on it now. A pod must fit on one node.</summary>
public readonly record struct NodeView(Resources.Resources Allocatable, Resources.Resources Free);
