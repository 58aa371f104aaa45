namespace Gantry.Server.Options;

/// <summary>The <c>Gantry:Clusters</c> section: how Gantry talks to registered clusters when it manages them.</summary>
public sealed class ClustersOptions
{
    /// <summary>Longest wait for one API server call during a cluster test or share.</summary>
    public int RequestTimeoutSeconds { get; set; } = 15;

    /// <summary>Lifetime asked for the service-account token of a share's kubeconfig (the API server may cap it). At least 600.</summary>
    public long ShareTokenExpirationSeconds { get; set; } = 86_400;
}
