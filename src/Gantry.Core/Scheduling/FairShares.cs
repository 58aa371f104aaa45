namespace Gantry.Core.Scheduling;

/// <summary>
/// Where each queue stands in one snapshot: the dominant share it holds of the healthy clusters'
/// capacity (the pool a round divides), against the share its weight entitles it to among the
/// queues that want capacity (hold some or have jobs waiting). A queue with nothing held and
/// nothing waiting is entitled to nothing: its weight does not dilute the others'.
/// </summary>
public static class FairShares
{
    public static IReadOnlyDictionary<string, QueueFairShare> Of(SchedulingSnapshot snapshot)
    {
        var pool = DominantShare.Pool(snapshot.Clusters);
        var waiting = snapshot.Jobs.Select(j => j.Queue).ToHashSet(StringComparer.Ordinal);
        var demanding = snapshot.Queues
            .Where(q => q.Usage.RunningJobs > 0 || waiting.Contains(q.Queue.Name))
            .Select(q => (q.Queue.Name, q.Queue.Weight));
        var entitlements = DominantShare.Entitlements(demanding);
        return snapshot.Queues.ToDictionary(
            q => q.Queue.Name,
            q => new QueueFairShare(
                DominantShare.Of(q.Usage.Held, pool),
                entitlements.GetValueOrDefault(q.Queue.Name),
                entitlements.ContainsKey(q.Queue.Name)),
            StringComparer.Ordinal);
    }
}
