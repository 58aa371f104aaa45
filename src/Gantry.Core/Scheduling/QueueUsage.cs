using Gantry.Core.Jobs;

namespace Gantry.Core.Scheduling;

/// <summary>What a queue's started jobs (dispatching to cancelling) hold: their demand summed, and how many they are.</summary>
public readonly record struct QueueUsage(Resources.Resources Held, int RunningJobs)
{
    public static QueueUsage None => default;

    public QueueUsage Plus(Resources.Resources demand) => new(Held + demand, RunningJobs + 1);

    /// <summary>What each queue's <paramref name="started"/> jobs hold, by queue name (queues holding nothing are absent).</summary>
    public static Dictionary<string, QueueUsage> ByQueue(IEnumerable<Job> started) =>
        started
            .GroupBy(j => j.Queue, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Aggregate(None, (u, j) => u.Plus(j.Demand.Total)), StringComparer.Ordinal);
}
