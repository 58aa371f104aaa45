using Gantry.Core.Jobs;

namespace Gantry.Backends;

/// <summary>A backend whose cluster can be lost, and whose jobs can then be moved elsewhere.</summary>
public interface IAbandonJobs
{
    /// <summary>
    /// Gantry has given up on <paramref name="job"/> on this cluster: stop following it and report
    /// nothing more about it (unlike a cancel, which reports Cancelled), and delete what it left
    /// there, now if the cluster answers or as soon as it does.
    /// </summary>
    Task AbandonAsync(Job job, CancellationToken cancellationToken);
}
