using System.Collections.Concurrent;
using Gantry.Backends.Local;
using Gantry.Core.Clusters;
using Gantry.Core.Jobs;

namespace Gantry.Server.Scheduling;

/// <summary>
/// Which jobs the <c>local</c> cluster cannot really run, and why: the pure check
/// (<see cref="Core.LocalRuns.LocalRunCheck"/>) against this machine's files, for the scheduler's
/// snapshot and for explain. A queued job's answer is kept a few seconds, so a round does not parse
/// every manifest and probe its files again, yet a script put in place later is seen soon.
/// </summary>
public sealed class LocalRefusals(LocalBackend local, TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);
    private static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>();
    private readonly ConcurrentDictionary<string, (DateTimeOffset Until, string? Why)> _answers = new(StringComparer.Ordinal);

    /// <summary>The clusters that refuse <paramref name="job"/> (only ever <c>local</c>), each with why; empty when none does.</summary>
    public IReadOnlyDictionary<string, string> For(Job job)
    {
        var now = time.GetUtcNow();
        if (!_answers.TryGetValue(job.Id, out var answer) || answer.Until <= now)
        {
            answer = (now + Lifetime, local.WhyNot(job));
            _answers[job.Id] = answer;
        }
        return answer.Why is null ? None : new Dictionary<string, string>(StringComparer.Ordinal) { [Cluster.LocalName] = answer.Why };
    }

    /// <summary>Drops the answers for jobs no longer among <paramref name="queued"/>.</summary>
    public void Retain(IReadOnlyCollection<Job> queued)
    {
        if (_answers.Count <= queued.Count)
        {
            return;
        }
        var ids = queued.Select(j => j.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var id in _answers.Keys.Where(id => !ids.Contains(id)))
        {
            _answers.TryRemove(id, out _);
        }
    }
}
