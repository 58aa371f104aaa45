namespace Gantry.Core.Scheduling;

/// <summary>What a queue's started jobs (dispatching to cancelling) hold: their demand summed, and how many they are.</summary>
public readonly record struct QueueUsage(Resources.Resources Held, int RunningJobs)
{
    public static QueueUsage None => default;

    public QueueUsage Plus(Resources.Resources demand) => new(Held + demand, RunningJobs + 1);
}
