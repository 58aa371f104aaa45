namespace Gantry.Core.Scheduling;

/// <summary>Whether a job fits one cluster now, and if not, what is missing.</summary>
public sealed record ClusterVerdict(string Cluster, bool Fits, string Reason);
