namespace Gantry.Server.Replication;

/// <summary>Singleton work was asked of a replica that does not lead (or stopped acting); nothing was done.</summary>
public sealed class NotLeaderException(string replica) : Exception($"Replica {replica} does not lead now; the leader does this work.");
