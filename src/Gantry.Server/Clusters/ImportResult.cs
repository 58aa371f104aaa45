using Gantry.Core.Clusters;

namespace Gantry.Server.Clusters;

/// <summary>What an import did: the clusters registered, with their connections, and each context's problems by field.</summary>
public sealed record ImportResult(
    IReadOnlyList<(Cluster Cluster, ClusterConnection Connection)> Imported,
    IReadOnlyDictionary<string, string[]> Errors);
