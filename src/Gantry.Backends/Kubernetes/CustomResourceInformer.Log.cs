using Microsoft.Extensions.Logging;

namespace Gantry.Backends.Kubernetes;

// Event ids 2120-2139: informers.
internal sealed partial class CustomResourceInformer
{
    [LoggerMessage(2120, LogLevel.Debug, "{Kind}: listed {Count} labelled object(s)")]
    private partial void LogListed(string kind, int count);

    [LoggerMessage(2121, LogLevel.Information, "{Kind}: resourceVersion {Version} expired (410); listing again")]
    private partial void LogExpired(string kind, string? version);

    [LoggerMessage(2122, LogLevel.Warning, "{Kind}: list/watch failed ({Failures} in a row), retrying in {DelayMs:F0} ms: {Problem}")]
    private partial void LogWatchFailed(string kind, int failures, double delayMs, string problem);

    [LoggerMessage(2123, LogLevel.Warning, "{Kind}: watch error event: {Problem}")]
    private partial void LogWatchError(string kind, string problem);

    [LoggerMessage(2124, LogLevel.Information, "{Kind}: watch went quiet past its deadline; reconnecting")]
    private partial void LogDeadline(string kind);
}
