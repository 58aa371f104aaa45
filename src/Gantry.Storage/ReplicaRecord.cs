namespace Gantry.Storage;

/// <summary>A gateway process as it last reported itself.</summary>
public sealed record ReplicaRecord(string Id, string Host, string Version, DateTimeOffset StartedAt, DateTimeOffset HeartbeatAt);
