using Gantry.Backends.Kubernetes.Management;

namespace Gantry.Server.Api;

/// <summary>The answer of a cluster test: ok when every check holds.</summary>
public sealed record ClusterTestDto(string Cluster, bool Ok, bool Reachable, string? Version, IReadOnlyList<string> Kinds, IReadOnlyList<ClusterCheck> Checks)
{
    public static ClusterTestDto From(string cluster, ClusterProbeResult result) =>
        new(cluster, result.Ok, result.Reachable, result.Version, result.Kinds, result.Checks);
}
