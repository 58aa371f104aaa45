using Microsoft.Extensions.Logging;

namespace Gantry.Backends.Kubernetes;

// Event ids 2100-2119: the Kubernetes backend (2100-2101 are ResourceDispatcher's).
public sealed partial class KubernetesBackend
{
    [LoggerMessage(2102, LogLevel.Warning, "Job {JobId}: deleting its custom resource failed; the next resync tries again: {Problem}")]
    private partial void LogCancelDeleteFailed(string jobId, string problem);

    [LoggerMessage(2103, LogLevel.Information, "Resuming {Count} job(s) on cluster {Cluster}")]
    private partial void LogResumed(int count, string cluster);

    [LoggerMessage(2104, LogLevel.Warning, "Job {JobId}: abandoned on cluster {Cluster}, which was lost; Gantry no longer follows it there")]
    private partial void LogAbandoned(string jobId, string cluster);
}
