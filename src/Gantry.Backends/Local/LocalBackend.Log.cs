using Gantry.Core.Jobs;
using Microsoft.Extensions.Logging;

namespace Gantry.Backends.Local;

// Event ids 2000-2099: the local backend.
public sealed partial class LocalBackend
{
    [LoggerMessage(2000, LogLevel.Information, "Job {JobId} started as process group {Pid}")]
    private partial void LogStarted(string jobId, int pid);

    [LoggerMessage(2001, LogLevel.Information, "Job {JobId} re-attached to process group {Pid} after a restart")]
    private partial void LogReattached(string jobId, int pid);

    [LoggerMessage(2002, LogLevel.Information, "Job {JobId} ended {State}: {Reason}")]
    private partial void LogEnded(string jobId, JobState state, string reason);

    [LoggerMessage(2003, LogLevel.Warning, "Signal {Signal} to job {JobId} failed with errno {Errno}")]
    private partial void LogSignalFailed(string jobId, int signal, int errno);

    [LoggerMessage(2004, LogLevel.Error, "Could not record a change of job {JobId}")]
    private partial void LogReportFailed(Exception exception, string jobId);

    [LoggerMessage(2005, LogLevel.Information, "Job {JobId}: replica {Replica} exited {ExitCode} and was restarted (restart {Restarts} of this replica)")]
    private partial void LogReplicaRestarted(string jobId, string replica, int exitCode, int restarts);
}
