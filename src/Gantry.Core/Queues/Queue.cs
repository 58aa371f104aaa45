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
    /// <summary>
    /// Who may submit to the queue, by Gantry user name. With <see cref="AllowedGroups"/> empty too,
    /// everyone may (a queue made before access lists existed keeps working as it did).
    /// </summary>
    public IReadOnlyList<string> AllowedUsers { get; init; } = [];

    /// <summary>Groups whose members may submit: from an OIDC groups claim, the kubeflow-groups header or a service account token's groups.</summary>
    public IReadOnlyList<string> AllowedGroups { get; init; } = [];

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Whether the queue's access lists let this user (member of these groups) submit; admins are not asked.</summary>
    public bool Admits(string user, IEnumerable<string> groups) =>
        (AllowedUsers.Count == 0 && AllowedGroups.Count == 0)
        || AllowedUsers.Contains(user, StringComparer.Ordinal)
        || groups.Any(g => AllowedGroups.Contains(g, StringComparer.Ordinal));
}
