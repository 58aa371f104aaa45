using Gantry.Core.Kinds;

namespace Gantry.Server.Clusters;

/// <summary>The job kinds that are custom resources in a cluster, with their API coordinates.</summary>
public sealed class KubernetesKinds(JobKindRegistry registry)
{
    public IReadOnlyList<(string Kind, KubernetesResource Resource)> All { get; } = registry.Names
        .Select(name => registry.TryGet(name, out var kind) ? kind : null)
        .Where(kind => kind?.Resource is not null)
        .Select(kind => (kind!.Name, kind.Resource!))
        .ToList();
}
