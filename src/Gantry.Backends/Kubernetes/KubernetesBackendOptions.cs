namespace Gantry.Backends.Kubernetes;

/// <summary>How one Kubernetes backend behaves; the server builds it from its validated Kubernetes options.</summary>
public sealed record KubernetesBackendOptions
{
    /// <summary>
    /// The cluster is one of <c>gantry serve --sandbox-clusters</c>': it lives in the gateway's
    /// memory, so a resource missing after a restart was lost with the old sandbox, not deleted by someone.
    /// </summary>
    public bool InMemorySandbox { get; init; }

    /// <summary>
    /// Made on a replica that does not lead: it reads (logs, the Spark UI, schemas) but never
    /// starts informers or the health monitor; following jobs is the leader's work.
    /// </summary>
    public bool Passive { get; init; }

    /// <summary>The registered cluster's name, for messages.</summary>
    public required string ClusterName { get; init; }

    /// <summary>Handed to jobs as GANTRY_URL.</summary>
    public required string GatewayUrl { get; init; }

    /// <summary>Length of one watch request (the server's timeoutSeconds).</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Time between full relists that reconcile what a watch may have missed.</summary>
    public TimeSpan Resync { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Limit on each ordinary API call (watches and followed logs excepted).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    public HealthSettings Health { get; init; } = new();

    /// <summary>The chaos test's fault injection (<see cref="Backends.CrashPoints"/>); none by default.</summary>
    public CrashPoints CrashPoints { get; init; } = CrashPoints.None;

    /// <summary>Where the informers' counts go (the host's meters); null counts nothing.</summary>
    public System.Diagnostics.Metrics.IMeterFactory? Meters { get; init; }
}
