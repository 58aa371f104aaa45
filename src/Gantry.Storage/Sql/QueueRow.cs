using Gantry.Core.Queues;

namespace Gantry.Storage.Sql;

internal sealed class QueueRow
{
    public const string Columns = "name, weight, priority, quota, cluster_selector, policy, affinity, allowed_users, allowed_groups, created_at, updated_at";

    public string Name { get; set; } = "";
    public double Weight { get; set; }
    public long Priority { get; set; }
    public string Quota { get; set; } = "{}";
    public string ClusterSelector { get; set; } = "{}";
    public string Policy { get; set; } = "";
    public string Affinity { get; set; } = "{}";
    public string AllowedUsers { get; set; } = "[]";
    public string AllowedGroups { get; set; } = "[]";
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }

    public static QueueRow From(Queue q) => new()
    {
        Name = q.Name,
        Weight = q.Weight,
        Priority = q.Priority,
        Quota = JsonColumns.Quota(q.Quota),
        ClusterSelector = JsonColumns.Labels(q.ClusterSelector),
        Policy = q.Policy.ToString(),
        Affinity = JsonColumns.Labels(q.Affinity),
        AllowedUsers = JsonColumns.Names(q.AllowedUsers),
        AllowedGroups = JsonColumns.Names(q.AllowedGroups),
        CreatedAt = Time.ToDb(q.CreatedAt),
        UpdatedAt = Time.ToDb(q.UpdatedAt),
    };

    public Queue ToQueue() => new()
    {
        Name = Name,
        Weight = Weight,
        Priority = (int)Priority,
        Quota = JsonColumns.Quota(Quota),
        ClusterSelector = JsonColumns.Labels(ClusterSelector),
        Policy = Enum.Parse<PlacementPolicy>(Policy),
        Affinity = JsonColumns.Labels(Affinity),
        AllowedUsers = JsonColumns.Names(AllowedUsers),
        AllowedGroups = JsonColumns.Names(AllowedGroups),
        CreatedAt = Time.FromDb(CreatedAt),
        UpdatedAt = Time.FromDb(UpdatedAt),
    };
}
