namespace Gantry.Backends;

/// <summary>Where backends report what happened to a job; the server records it and tells watchers.</summary>
public interface IJobUpdateSink
{
    Task ReportAsync(JobUpdate update, CancellationToken cancellationToken);

    /// <summary>
    /// Asks for a job an earlier leader left in Dispatching, whose resource its cluster does not
    /// have, to be created again on the same cluster under the same name. Moving it elsewhere could
    /// run two copies: the old leader (cut off, not dead) may still have a create in flight, which
    /// under the same name collides (AlreadyExists, adopted) instead.
    /// </summary>
    Task RecreateAsync(string jobId, CancellationToken cancellationToken);
}
