namespace Gantry.Backends;

/// <summary>Where backends report what happened to a job; the server records it and tells watchers.</summary>
public interface IJobUpdateSink
{
    Task ReportAsync(JobUpdate update, CancellationToken cancellationToken);
}
