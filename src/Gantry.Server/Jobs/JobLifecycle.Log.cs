using Gantry.Core.Jobs;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Jobs;

// Event ids 1100-1199: job life cycle (1101 and 1106 are JobStarter's, 1102 JobChangeWriter's, logged with this class's logger).
public sealed partial class JobLifecycle
{
    [LoggerMessage(1100, LogLevel.Debug, "Job {JobId}: ignored a report of {To} while {From}")]
    private partial void LogStaleUpdate(string jobId, JobState from, JobState to);

    [LoggerMessage(1103, LogLevel.Debug, "Job {JobId}: ignored a report from cluster {Cluster}; the job is placed on {Current} now")]
    private partial void LogForeignUpdate(string jobId, string cluster, string? current);

    [LoggerMessage(1105, LogLevel.Information, "Job {JobId}: a report of {State} was not applied: this replica does not lead; the leader reads the cluster afresh")]
    private partial void LogReportDropped(string jobId, JobState state);

    [LoggerMessage(1104, LogLevel.Warning, "Job {JobId} failed over from lost cluster {Cluster}: now {To}: {Reason}")]
    private partial void LogFailedOver(string jobId, string cluster, JobState to, string reason);

    [LoggerMessage(1107, LogLevel.Information, "Job {JobId}: left in Dispatching on {Cluster} by an earlier leader and missing there; creating it again")]
    private partial void LogRecreating(string jobId, string cluster);
}
