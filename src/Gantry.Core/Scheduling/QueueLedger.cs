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
    /// The clusters this queue may send <paramref name="job"/> to, by its kind (an admin's job, if
    /// <paramref name="byAdmin"/>, where that matters; less the clusters that refuse it), found once
    /// per round for each such combination through <paramref name="find"/>.
    /// </summary>
    public EligibleClusters For(PendingJob job, bool byAdmin, EligibleClusters.Finder find)
    {
        var key = byAdmin ? job.Kind + "|admin" : job.Kind;
        if (job.Refused.Count > 0)
        {
            key += "|not:" + string.Join(",", job.Refused.Keys.Order(StringComparer.Ordinal));
        }
        if (!_byKind.TryGetValue(key, out var eligible))
        {
            eligible = find(job.Kind, Queue.ClusterSelector, byAdmin, job.Refused);
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
