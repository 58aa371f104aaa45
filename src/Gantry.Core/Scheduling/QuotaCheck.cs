using Gantry.Core.Queues;

namespace Gantry.Core.Scheduling;

/// <summary>Queue quotas are hard limits: which one a job would break, now or always.</summary>
public static class QuotaCheck
{
    /// <summary>The first limit that holding <paramref name="demand"/> on top of <paramref name="usage"/> would break, or null.</summary>
    public static QuotaBreach? Breach(QueueQuota quota, QueueUsage usage, Resources.Resources demand)
    {
        if (quota.Gpu is { } gpu && usage.Held.Gpu + demand.Gpu > gpu && demand.Gpu > 0)
        {
            return new QuotaBreach("gpu", usage.Held.Gpu, gpu, demand.Gpu);
        }
        if (quota.CpuMillis is { } cpu && usage.Held.CpuMillis + demand.CpuMillis > cpu && demand.CpuMillis > 0)
        {
            return new QuotaBreach("cpu", usage.Held.CpuMillis, cpu, demand.CpuMillis);
        }
        if (quota.MemoryBytes is { } memory && usage.Held.MemoryBytes + demand.MemoryBytes > memory && demand.MemoryBytes > 0)
        {
            return new QuotaBreach("memory", usage.Held.MemoryBytes, memory, demand.MemoryBytes);
        }
        if (quota.RunningJobs is { } jobs && usage.RunningJobs + 1 > jobs)
        {
            return new QuotaBreach("running jobs", usage.RunningJobs, jobs, 1);
        }
        return null;
    }

    /// <summary>The limit the job breaks even when its queue holds nothing: it can never run there.</summary>
    public static QuotaBreach? Never(QueueQuota quota, Resources.Resources demand) =>
        Breach(quota, QueueUsage.None, demand);
}
