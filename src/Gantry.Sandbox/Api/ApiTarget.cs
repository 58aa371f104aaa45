using Gantry.Sandbox.Store;

namespace Gantry.Sandbox.Api;

/// <summary>
/// What a resource URL points at: a type, maybe a namespace and name, maybe a subresource and the
/// path after it (the service proxy's <c>.../proxy/{path}</c>).
/// </summary>
internal sealed record ApiTarget(ResourceType Type, string? Namespace, string? Name, string? Subresource, string Rest)
{
    /// <summary>
    /// Parses the segments after <c>/api/v1</c> or <c>/apis/{group}/{version}</c>:
    /// <c>{plural}[/{name}[/{sub}...]]</c> or <c>namespaces/{ns}/{plural}[/{name}[/{sub}...]]</c>.
    /// </summary>
    public static ApiTarget? Parse(ResourceCatalog catalog, string group, string version, IReadOnlyList<string> segments)
    {
        if (segments.Count >= 3 && segments[0] == "namespaces"
            && catalog.Find(group, version, segments[2]) is { Namespaced: true } namespaced)
        {
            return Build(namespaced, segments[1], segments.Skip(3).ToList());
        }
        if (segments.Count >= 1 && catalog.Find(group, version, segments[0]) is { } type)
        {
            // A namespaced plural without a namespace is the all-namespaces collection: no name allowed.
            if (type.Namespaced && segments.Count > 1)
            {
                return null;
            }
            return Build(type, null, segments.Skip(1).ToList());
        }
        return null;
    }

    private static ApiTarget Build(ResourceType type, string? ns, List<string> rest) => rest.Count switch
    {
        0 => new ApiTarget(type, ns, null, null, ""),
        1 => new ApiTarget(type, ns, rest[0], null, ""),
        _ => new ApiTarget(type, ns, rest[0], rest[1], string.Join('/', rest.Skip(2))),
    };
}
