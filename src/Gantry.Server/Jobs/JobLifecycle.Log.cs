using Gantry.Core.Jobs;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Jobs;

// Event ids 1100-1199: job life cycle.
public sealed partial class JobLifecycle
{
    [LoggerMessage(1100, LogLevel.Debug, "Job {JobId}: ignored a report of {To} while {From}")]
    private partial void LogStaleUpdate(string jobId, JobState from, JobState to);

    [LoggerMessage(1101, LogLevel.Warning, "Dispatch of job {JobId} to {Cluster} failed")]
    private partial void LogDispatchFailed(Exception exception, string jobId, string cluster);

    [LoggerMessage(1102, LogLevel.Debug, "Job {JobId} changed concurrently (attempt {Attempt}); retrying")]
    private partial void LogConflict(string jobId, int attempt);

    [LoggerMessage(1103, LogLevel.Debug, "Job {JobId}: ignored a report from cluster {Cluster}; the job is placed on {Current} now")]
    private partial void LogForeignUpdate(string jobId, string cluster, string? current);

    [LoggerMessage(1105, LogLevel.Information, "Job {JobId}: a report of {State} was not applied: this replica does not lead; the leader reads the cluster afresh")]
    private partial void LogReportDropped(string jobId, JobState state);

    [LoggerMessage(1104, LogLevel.Warning, "Job {JobId} failed over from lost cluster {Cluster}: now {To}: {Reason}")]
    private partial void LogFailedOver(string jobId, string cluster, JobState to, string reason);

    [LoggerMessage(1106, LogLevel.Information, "Job {JobId}: stored as dispatching to {Cluster}, but this replica stopped leading before creating it; the next leader's take-over does")]
    private partial void LogDispatchLeftToNextLeader(string jobId, string cluster);

    [LoggerMessage(1107, LogLevel.Information, "Job {JobId}: left in Dispatching on {Cluster} by an earlier leader and missing there; creating it again")]
    private partial void LogRecreating(string jobId, string cluster);
}
