namespace Gantry.Core.Scheduling;

/// <summary>Why a job is still queued, in words its owner understands, with the verdict of each cluster.</summary>
public sealed record WaitReason(string Summary, IReadOnlyList<ClusterVerdict> Clusters);
