namespace Gantry.Core.Queues;

/// <summary>
/// A line jobs wait in, with its share of the clusters: fair-share weight, priority against
/// other queues, hard quotas, and which clusters it may use.
/// </summary>
public sealed record Queue
{
    public const string DefaultName = "default";

    public required string Name { get; init; }
    public double Weight { get; init; } = 1;
    public int Priority { get; init; }
    public QueueQuota Quota { get; init; } = QueueQuota.Unlimited;
    public IReadOnlyDictionary<string, string> ClusterSelector { get; init; } = new Dictionary<string, string>();
    public PlacementPolicy Policy { get; init; } = PlacementPolicy.LeastLoaded;

    /// <summary>Cluster labels the queue prefers (not requires) under <see cref="PlacementPolicy.LabelAffinity"/>.</summary>
    public IReadOnlyDictionary<string, string> Affinity { get; init; } = new Dictionary<string, string>();
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}
