namespace Gantry.Server.Options;

/// <summary>How Gantry follows its Kubernetes clusters: health probing, failover grace, watches.</summary>
public sealed class KubernetesOptions
{
    /// <summary>Failed probes in a row (with exponential back-off between them) before a cluster is unhealthy.</summary>
    public int FailureThreshold { get; set; } = 3;

    /// <summary>
    /// How long a cluster may stay unhealthy before its jobs are failed over: a lease, so that a
    /// blip does not move work. Exposed with the cluster's status; failover itself acts on it.
    /// </summary>
    public int FailoverGraceSeconds { get; set; } = 120;

    /// <summary>Time between full relists of each kind's custom resources (reconciliation).</summary>
    public int ResyncSeconds { get; set; } = 300;

    /// <summary>Length of one watch request.</summary>
    public int WatchTimeoutSeconds { get; set; } = 300;

    /// <summary>Time between reads of nodes and pods (free capacity) and health probes.</summary>
    public int RefreshMilliseconds { get; set; } = 5000;

    /// <summary>How long one health probe may take.</summary>
    public int ProbeTimeoutSeconds { get; set; } = 10;

    /// <summary>Limit on each ordinary API call (not watches or followed logs).</summary>
    public int RequestTimeoutSeconds { get; set; } = 30;
}
