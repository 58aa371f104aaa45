namespace Gantry.Server.Api;

/// <summary>One gateway replica as <c>GET /replicas</c> shows it; <c>epoch</c> is the lease's term when it leads, else null.</summary>
public sealed record ReplicaDto(string Id, string Host, string Version, DateTimeOffset Started, DateTimeOffset LastHeartbeat, bool Leader, long? Epoch)
{
    /// <summary>Where the other replicas reach it (Gantry:Leader:AdvertiseUrl); empty if unknown.</summary>
    public string Url { get; init; } = "";
}

/// <summary>The replicas, oldest first, and the lease as stored (who holds it until when).</summary>
public sealed record ReplicaListDto(IReadOnlyList<ReplicaDto> Items, string? LeaseHolder, long? Epoch, DateTimeOffset? LeaseExpiresAt);
