using Gantry.Core.Clusters;
using Gantry.Core.Jobs;

namespace Gantry.Backends;

/// <summary>
/// Runs jobs on one kind of cluster. State changes are not returned: the backend reports
/// every one of them, in order, through the <see cref="IJobUpdateSink"/> it was given.
/// </summary>
public interface IClusterBackend
{
    /// <summary>Starts <paramref name="job"/> (placed on this backend's cluster); throws <see cref="DispatchException"/> if it cannot.</summary>
    Task DispatchAsync(Job job, DispatchContext context, CancellationToken cancellationToken);

    /// <summary>Stops the job; its final state is reported through the sink.</summary>
    Task CancelAsync(Job job, CancellationToken cancellationToken);

    /// <summary>
    /// After a restart: takes back the jobs the store says are active on this backend,
    /// re-attaching to those still running and reporting the fate of the others.
    /// </summary>
    Task ResumeAsync(IReadOnlyList<Job> active, CancellationToken cancellationToken);
}
