using System.Collections.Concurrent;

namespace Gantry.Backends.Kubernetes;

/// <summary>
/// The jobs a backend follows, and a logical clock that orders "the resource was created"
/// against "a list was asked for", so a list that started before a create never counts the new
/// resource as deleted.
/// </summary>
internal sealed class JobTracker
{
    private readonly ConcurrentDictionary<string, TrackedJob> _jobs = new(StringComparer.Ordinal);
    private long _clock;

    public long Tick() => Interlocked.Increment(ref _clock);

    public int Count => _jobs.Count;

    public TrackedJob Track(string jobId, Workload workload) => _jobs.GetOrAdd(jobId, id => new TrackedJob(id, workload));

    public TrackedJob? Find(string jobId) => _jobs.GetValueOrDefault(jobId);

    public void Forget(string jobId) => _jobs.TryRemove(jobId, out _);

    public IReadOnlyList<TrackedJob> OfKind(Workload workload) => _jobs.Values.Where(j => j.Workload == workload).ToList();
}
