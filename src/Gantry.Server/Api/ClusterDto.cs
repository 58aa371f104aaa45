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
        connection);
}


