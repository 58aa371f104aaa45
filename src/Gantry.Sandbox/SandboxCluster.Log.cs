using Microsoft.Extensions.Logging;

namespace Gantry.Sandbox;

public sealed partial class SandboxCluster
{
    [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "Sandbox cluster {Cluster} serving at {Server} with {Nodes} nodes and {Crds}")]
    private static partial void Started(ILogger logger, string cluster, Uri server, int nodes, string crds);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Information, Message = "Sandbox cluster {Cluster}: API server stopped")]
    private static partial void ApiStopped(ILogger logger, string cluster);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Information, Message = "Sandbox cluster {Cluster}: API server back at {Server}")]
    private static partial void ApiRestarted(ILogger logger, string cluster, Uri server);
}
