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
}
