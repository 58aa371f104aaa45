using Gantry.Core.Queues;

namespace Gantry.Core.Scheduling;

/// <summary>One queue during one round: its jobs in the order it serves them, what it holds, its share.</summary>
internal sealed class QueueLedger
{
    private readonly List<PendingJob> _jobs = [];
    private readonly Dictionary<string, (ClusterLedger[] Clusters, FailureMemo Memo, Resources.Resources Largest)> _byKind = new(StringComparer.Ordinal);
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

    /// <summary>Highest priority first, then first submitted; skips the sort when the store already gave that order.</summary>
    public void Order()
    {
        for (var i = 1; i < _jobs.Count; i++)
        {
            if (JobOrder.Instance.Compare(_jobs[i - 1], _jobs[i]) > 0)
            {
                _jobs.Sort(JobOrder.Instance);
                return;
            }
        }
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
    /// The clusters this queue may send a job of <paramref name="kind"/> to, what failed there
    /// this round, and the largest of each resource any of them has in total.
    /// </summary>
    public (ClusterLedger[] Clusters, FailureMemo Memo, Resources.Resources Largest) For(string kind, IReadOnlyList<ClusterLedger> all)
    {
        if (!_byKind.TryGetValue(kind, out var entry))
        {
            var allowed = all.Where(c => c.View.Kinds.Contains(kind) && Matches(c.View.Labels)).ToArray();
            var largest = allowed.Aggregate(Resources.Resources.Zero, (max, c) => Resources.Resources.Max(max, c.View.Capacity));
            entry = (allowed, new FailureMemo(), largest);
            _byKind[kind] = entry;
        }
        return entry;
    }

    private bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var (key, value) in Queue.ClusterSelector)
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }
        return true;
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
