using Gantry.Core.Clusters;

namespace Gantry.Server.Api;

public sealed record ClusterDto(
    string Name,
    string Type,
    IReadOnlyDictionary<string, string> Labels,
    bool Cordoned,
    bool Healthy,
    string Message,
    ResourcesDto Capacity,
    ResourcesDto Free,
    IReadOnlyList<string> Kinds,
    DateTimeOffset CreatedAt,
    ConnectionSummaryDto? Connection = null)
{
    /// <summary>Since when the cluster has not answered (null while healthy); failover waits a grace period from here.</summary>
    public DateTimeOffset? UnhealthySince { get; init; }

    public static ClusterDto From(Cluster cluster, ClusterStatus status, ConnectionSummaryDto? connection = null) => new(
        cluster.Name,
        cluster.Type,
        cluster.Labels,
        cluster.Cordoned,
        status.Healthy,
        status.Message,
        ResourcesDto.From(status.Capacity),
        ResourcesDto.From(status.Free),
        status.Kinds.Order(StringComparer.Ordinal).ToList(),
        cluster.CreatedAt,
        connection)
    {
        UnhealthySince = status.UnhealthySince,
    };
}


