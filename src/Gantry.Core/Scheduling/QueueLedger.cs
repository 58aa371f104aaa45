using Gantry.Core.Queues;

namespace Gantry.Core.Scheduling;

/// <summary>One queue during one round: its jobs in the order it serves them, what it holds, its share.</summary>
internal sealed class QueueLedger
{
    private readonly List<PendingJob> _jobs = [];
    private readonly Dictionary<string, EligibleClusters> _byKind = new(StringComparer.Ordinal);
    private readonly Resources.Resources _pool;
    private int _next;

    public QueueLedger(Queue queue, QueueUsage usage, Resources.Resources pool)
    {
        Queue = queue;
        Usage = usage;
        _pool = pool;
        Share = DominantShare.Of(usage.Held, pool) / queue.Weight;
    }

    public Queue Queue { get; }

    public QueueUsage Usage { get; private set; }

    /// <summary>Dominant share divided by weight: the queue with the least is served next.</summary>
    public double Share { get; private set; }

    public bool HasNext => _next < _jobs.Count;

    public void Add(PendingJob job) => _jobs.Add(job);

    /// <summary>
    /// Highest priority first, then first submitted. Jobs come from the store in submission
    /// order and nearly all share one priority, so they are bucketed by priority and each bucket
    /// is sorted only if it is not already in order.
    /// </summary>
    public void Order()
    {
        if (IsOrdered(_jobs))
        {
            return;
        }
        var buckets = new SortedDictionary<int, List<PendingJob>>(Comparer<int>.Create((a, b) => b.CompareTo(a)));
        foreach (var job in _jobs)
        {
            if (!buckets.TryGetValue(job.Priority, out var bucket))
            {
                bucket = [];
                buckets[job.Priority] = bucket;
            }
            bucket.Add(job);
        }
        _jobs.Clear();
        foreach (var bucket in buckets.Values)
        {
            if (!IsOrdered(bucket))
            {
                bucket.Sort(JobOrder.Instance);
            }
            _jobs.AddRange(bucket);
        }
    }

    private static bool IsOrdered(List<PendingJob> jobs)
    {
        for (var i = 1; i < jobs.Count; i++)
        {
            if (JobOrder.Instance.Compare(jobs[i - 1], jobs[i]) > 0)
            {
                return false;
            }
        }
        return true;
    }

    public PendingJob Next() => _jobs[_next++];

    /// <summary>The first job, in serving order, submitted at or before <paramref name="cutoff"/>.</summary>
    public PendingJob? FirstWaitingSince(DateTimeOffset cutoff)
    {
        foreach (var job in _jobs)
        {
            if (job.CreatedAt <= cutoff)
            {
                return job;
            }
        }
        return null;
    }

    public void Hold(Resources.Resources demand)
    {
        Usage = Usage.Plus(demand);
        Share = DominantShare.Of(Usage.Held, _pool) / Queue.Weight;
    }

    /// <summary>
    /// The clusters this queue may send a job of <paramref name="kind"/> to (an admin's job, if
    /// <paramref name="byAdmin"/>, where that matters), found once per round through <paramref name="find"/>.
    /// </summary>
    public EligibleClusters For(string kind, bool byAdmin, Func<string, IReadOnlyDictionary<string, string>, bool, EligibleClusters> find)
    {
        var key = byAdmin ? kind + "|admin" : kind;
        if (!_byKind.TryGetValue(key, out var eligible))
        {
            eligible = find(kind, Queue.ClusterSelector, byAdmin);
            _byKind[key] = eligible;
        }
        return eligible;
    }

    private sealed class JobOrder : IComparer<PendingJob>
    {
        public static JobOrder Instance { get; } = new();

        public int Compare(PendingJob? x, PendingJob? y)
        {
            var byPriority = y!.Priority.CompareTo(x!.Priority);
            return byPriority != 0 ? byPriority : x.Seq.CompareTo(y.Seq);
        }
    }
}
