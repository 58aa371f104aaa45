using Gantry.Core.Jobs;

namespace Gantry.Backends;

/// <summary>A backend that can say, in the cluster's own words, why a placed job has not started.</summary>
public interface IPendingReasons
{
    /// <summary>
    /// What the cluster says of the job's pods that wait ("driver: 0/3 nodes are available: 3
    /// Insufficient cpu."); empty when nothing waits or the cluster cannot be asked.
    /// </summary>
    Task<IReadOnlyList<string>> PendingReasonsAsync(Job job, CancellationToken cancellationToken);
}
