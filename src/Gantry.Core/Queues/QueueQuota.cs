namespace Gantry.Core.Queues;

/// <summary>Hard limits on what a queue's jobs may hold at once; null means no limit.</summary>
public sealed record QueueQuota(long? CpuMillis = null, long? MemoryBytes = null, long? Gpu = null, int? RunningJobs = null)
{
    public static QueueQuota Unlimited { get; } = new();
}
