namespace Gantry.Backends.Kubernetes;

/// <summary>How a cluster's API server is probed (with its capacity) and when it counts as unhealthy.</summary>
public sealed record HealthSettings
{
    /// <summary>Consecutive failed probes, retried with exponential back-off, before the cluster is marked unhealthy.</summary>
    public int FailureThreshold { get; init; } = 3;

    /// <summary>Time between successful refreshes of capacity and health.</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one probe may take before it counts as a failure.</summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>First retry delay after a failed probe; doubles each retry.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Time between reads of the installed CRDs (kinds and schemas); they rarely change and are large.</summary>
    public TimeSpan DefinitionsInterval { get; init; } = TimeSpan.FromSeconds(60);
}
