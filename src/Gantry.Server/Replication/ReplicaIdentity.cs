using System.Reflection;

namespace Gantry.Server.Replication;

/// <summary>Who this gateway process is among the replicas: a fresh id per start, the host, the version, when it started and where the others reach it.</summary>
public sealed record ReplicaIdentity(string Id, string Host, string Version, DateTimeOffset StartedAt, string Url = "")
{
    public static ReplicaIdentity ForThisProcess(TimeProvider time, string url)
    {
        // POD_NAME (downward API) names the replica in Kubernetes; elsewhere the host name. A random
        // suffix keeps a restarted process from inheriting its predecessor's lease.
        var host = Environment.GetEnvironmentVariable("POD_NAME") is { Length: > 0 } pod ? pod : Environment.MachineName;
        var id = $"{host}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";
        var version = typeof(ReplicaIdentity).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return new ReplicaIdentity(id, host, plus > 0 && version.Length > plus + 8 ? version[..(plus + 8)] : version, time.GetUtcNow(), url);
    }
}
