namespace Gantry.Core.Scheduling;

public sealed record Placement(string JobId, string Cluster);
