using Gantry.Core.Jobs;

namespace Gantry.Storage;

/// <summary>How many stored jobs share a state, kind, queue and cluster (null for a job never placed).</summary>
public sealed record JobCount(JobState State, string Kind, string Queue, string? Cluster, long Count);
