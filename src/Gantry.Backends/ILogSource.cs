using Gantry.Core.Jobs;

namespace Gantry.Backends;

/// <summary>A job's log: the driver's or first worker's by default, another replica on request.</summary>
public interface ILogSource
{
    /// <summary>
    /// Copies the log to <paramref name="output"/>; with <see cref="LogRequest.Follow"/> keeps
    /// copying until the job ends. Throws <see cref="UnknownReplicaException"/> for a replica the job does not have.
    /// </summary>
    Task CopyLogAsync(Job job, LogRequest request, Stream output, CancellationToken cancellationToken);
}
