namespace Gantry.Backends;

/// <summary>What the gateway's store says about a job a backend finds on its cluster.</summary>
public interface IJobDirectory
{
    /// <summary>
    /// Whether the job is known and wants no copy running on <paramref name="cluster"/> any more:
    /// queued again, placed on another cluster, or ended (failed over with no attempts left, or
    /// cancelled while the cluster was away). A copy still running there is stale and must go.
    /// An unknown job is not ours to judge (another gateway may share the cluster): false.
    /// </summary>
    Task<bool> HasLeftAsync(string jobId, string cluster, CancellationToken cancellationToken);
}
