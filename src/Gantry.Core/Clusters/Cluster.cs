namespace Gantry.Core.Clusters;

/// <summary>A place jobs run: the local machine or a Kubernetes cluster.</summary>
public sealed record Cluster
{
    public const string LocalName = "local";

    public required string Name { get; init; }

    /// <summary>Which backend drives it: <see cref="ClusterTypes"/>.</summary>
    public required string Type { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public bool Cordoned { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}
