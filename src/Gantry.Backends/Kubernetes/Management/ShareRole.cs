using Gantry.Core.Kinds;
using k8s.Models;

namespace Gantry.Backends.Kubernetes.Management;

/// <summary>The rights a shared user holds in their namespace: the job resources, and reading what the jobs make.</summary>
public static class ShareRole
{
    private static readonly string[] JobVerbs = ["get", "list", "watch", "create", "update", "patch", "delete"];

    public static List<V1PolicyRule> Rules(IReadOnlyList<KubernetesResource> jobResources) =>
    [
        .. jobResources
            .GroupBy(r => r.Group, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new V1PolicyRule { ApiGroups = [g.Key], Resources = [.. g.Select(r => r.Plural).Order(StringComparer.Ordinal)], Verbs = JobVerbs }),
        new V1PolicyRule { ApiGroups = [""], Resources = ["pods", "services", "events"], Verbs = ["get", "list", "watch"] },
        new V1PolicyRule { ApiGroups = [""], Resources = ["pods/log"], Verbs = ["get"] },
        new V1PolicyRule { ApiGroups = [""], Resources = ["services/proxy"], Verbs = ["get", "create"] },
    ];
}
