using Microsoft.Extensions.Logging;

namespace Gantry.Backends.Kubernetes;

// Event ids 2100-2119: the Kubernetes backend (2100-2101 are its dispatch's).
internal sealed partial class ResourceDispatcher
{
    [LoggerMessage(2100, LogLevel.Information, "Job {JobId}: dispatched as {Resource} (adopted: {Adopted})")]
    private partial void LogDispatched(string jobId, string resource, bool adopted);

    [LoggerMessage(2101, LogLevel.Warning, "Job {JobId}: could not give the token Secret its owner: {Problem}")]
    private partial void LogSecretOwnerFailed(string jobId, string problem);
}
