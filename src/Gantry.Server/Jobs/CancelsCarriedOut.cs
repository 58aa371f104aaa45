using System.Collections.Concurrent;
using Gantry.Core.Jobs;
using Gantry.Server.Clusters;
using Gantry.Server.Replication;

namespace Gantry.Server.Jobs;

/// <summary>
/// Stops Cancelling jobs on their clusters, once per term, remembering by job the epoch of the
/// term that did: the leader's round calls it for every cancel, and once per term is enough.
/// </summary>
internal sealed class CancelsCarriedOut(BackendRegistry backends)
{
    private readonly ConcurrentDictionary<string, long> _epochs = new(StringComparer.Ordinal);

    /// <summary>Stops a Cancelling job on its cluster unless this term already did.</summary>
    public async Task CarryOutAsync(Job job, LeaderTerm term, CancellationToken cancellationToken)
    {
        if (job.State != JobState.Cancelling || job.Cluster is null
            || (_epochs.TryGetValue(job.Id, out var epoch) && epoch == term.Epoch))
        {
            return;
        }
        _epochs[job.Id] = term.Epoch;
        var backend = await backends.ForClusterAsync(job.Cluster, cancellationToken);
        await backend.Runner.CancelAsync(job, cancellationToken);
    }

    /// <summary>Forgets the cancels of jobs that have ended, so the record stays as small as the Cancelling set.</summary>
    public void Forget(IReadOnlySet<string> stillCancelling)
    {
        foreach (var id in _epochs.Keys)
        {
            if (!stillCancelling.Contains(id))
            {
                _epochs.TryRemove(id, out _);
            }
        }
    }
}
