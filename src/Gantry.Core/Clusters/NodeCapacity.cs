namespace Gantry.Core.Clusters;

/// <summary>One schedulable node of a cluster: what it offers (allocatable) and what is free on it now.</summary>
public sealed record NodeCapacity(string Name, Resources.Resources Allocatable, Resources.Resources Free);
