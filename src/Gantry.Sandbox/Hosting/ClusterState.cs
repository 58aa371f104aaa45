using Gantry.Sandbox.Auth;
using Gantry.Sandbox.Simulation;
using Gantry.Sandbox.Store;

namespace Gantry.Sandbox.Hosting;

/// <summary>Everything a simulated cluster keeps across API server restarts: objects, logs, tokens, faults.</summary>
internal sealed class ClusterState
{
    public ClusterState(SandboxClusterOptions options, TimeProvider time, string adminToken)
    {
        Options = options;
        Time = time;
        Store = new ObjectStore(new ResourceVersionClock(), new WatchHub(options.WatchHistorySize), time);
        Tokens = new TokenRegistry(adminToken, new ServiceAccountIssuer(options.IssuerUrl), Store);
        Faults.WatchesDropped += () => Store.Hub.DropAll();
        Faults.HistoryExpired += () => Store.Hub.Expire(Store.CurrentVersion);
    }

    public SandboxClusterOptions Options { get; }
    public TimeProvider Time { get; }
    public ResourceCatalog Catalog { get; } = new();
    public ObjectStore Store { get; }
    public PodLogBook Logs { get; } = new();
    public TokenRegistry Tokens { get; }
    public SandboxFaults Faults { get; } = new();
}
