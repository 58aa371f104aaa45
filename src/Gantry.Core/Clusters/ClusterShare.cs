namespace Gantry.Core.Clusters;

/// <summary>
/// A cluster shared with a Gantry user: the namespace their jobs go to there and the service
/// account whose token their kubeconfig holds. The token itself is never stored.
/// </summary>
public sealed record ClusterShare
{
    public required string Cluster { get; init; }
    public required string User { get; init; }
    public required string Namespace { get; init; }
    public required string ServiceAccount { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}
