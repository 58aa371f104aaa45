using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Gantry.Server.SparkUi;

// Event ids 1750-1759: the Spark UI proxy. Never the caller's token or cookie.
public sealed partial class SparkUiProxy
{
    [LoggerMessage(1750, LogLevel.Warning, "Job {JobId}: forwarding to its Spark UI failed ({Error}): {Problem}")]
    private partial void LogForwardFailed(string jobId, ForwarderError error, string problem);
}
