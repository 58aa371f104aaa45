using Gantry.Core.Clusters;

namespace Gantry.Server.Api;

public sealed record ShareDto(string Cluster, string User, string Namespace, string ServiceAccount, DateTimeOffset CreatedAt)
{
    public static ShareDto From(ClusterShare share) => new(share.Cluster, share.User, share.Namespace, share.ServiceAccount, share.CreatedAt);
}

public sealed record ShareListDto(IReadOnlyList<ShareDto> Items);

/// <summary>A share just made: the kubeconfig (with the service account's token) is for the user and is shown this once.</summary>
public sealed record IssuedShareDto(string Cluster, string User, string Namespace, string ServiceAccount, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, string Kubeconfig);

/// <summary>A share request (for the OpenAPI document).</summary>
public sealed record ShareRequest(string User, string? Namespace, long? ExpirationSeconds);
