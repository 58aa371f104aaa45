using Microsoft.Extensions.Logging;

namespace Gantry.Server.Monitoring;

// Event ids 1700-1719: monitoring.
public sealed partial class JobCountGauges
{
    [LoggerMessage(1700, LogLevel.Warning, "Counting stored jobs for /metrics failed; the last counts are shown until a count succeeds")]
    private partial void LogCountFailed(Exception exception);
}
