namespace Gantry.Storage;

/// <summary>A gateway process as it last reported itself; <paramref name="Url"/> is where the other replicas reach it ("" if unknown).</summary>
public sealed record ReplicaRecord(string Id, string Host, string Version, DateTimeOffset StartedAt, DateTimeOffset HeartbeatAt, string Url = "");
