namespace Gantry.Backends.Kubernetes.Management;

/// <summary>What a cluster test found: the API server's version when it answered, the operators installed, and every check.</summary>
public sealed record ClusterProbeResult(bool Reachable, string? Version, IReadOnlyList<string> Kinds, IReadOnlyList<ClusterCheck> Checks)
{
    public bool Ok => Checks.All(c => c.Ok);
}
