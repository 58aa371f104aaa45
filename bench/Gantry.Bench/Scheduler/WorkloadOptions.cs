namespace Gantry.Bench.Scheduler;

/// <summary>The shape of a synthetic workload: how many of each thing, and how busy.</summary>
public sealed record WorkloadOptions(int Jobs, int Queues, int Clusters, int Seed)
{
    /// <summary>Share of each cluster already in use when the round starts (0..1).</summary>
    public double Busy { get; init; } = 0.7;

    /// <summary>Nodes per cluster; node-level fit is checked for every multi-pod job.</summary>
    public int NodesPerCluster { get; init; } = 8;
}
