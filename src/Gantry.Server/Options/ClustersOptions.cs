namespace Gantry.Server.Options;

/// <summary>
/// The <c>Gantry:Clusters</c> section: cluster management (test, share). Calls to a cluster's
/// API server are limited by <c>Gantry:Kubernetes:RequestTimeoutSeconds</c>, as the backend's are.
/// </summary>
public sealed class ClustersOptions
{
    /// <summary>Lifetime asked for the service-account token of a share's kubeconfig (the API server may cap it). At least 600.</summary>
    public long ShareTokenExpirationSeconds { get; set; } = 86_400;
}
