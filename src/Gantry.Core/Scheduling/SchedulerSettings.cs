namespace Gantry.Core.Scheduling;

/// <summary>The knobs of a round that are not in the queues' definitions.</summary>
public sealed record SchedulerSettings
{
    public static SchedulerSettings Default { get; } = new();

    /// <summary>
    /// How long a job may wait before capacity is held back for it on its best cluster, so that
    /// a stream of small jobs cannot starve a large one forever.
    /// </summary>
    public TimeSpan ReserveAfter { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Whether a job that asks for no GPU prefers clusters and nodes where it takes no GPU node's
    /// cpu or memory (on by default). Off only to measure what it saves (the gpu-preference
    /// simulation in bench/Gantry.Bench); no configuration key sets it.
    /// </summary>
    public bool SpareGpuNodes { get; init; } = true;
}
