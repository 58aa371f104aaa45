using Gantry.Backends.Kubernetes;

namespace Gantry.Server.Api;

/// <summary>
/// Where a Kubernetes job really is: the custom resource Gantry created for it, on which cluster,
/// in which namespace, under which name (Gantry's <c>g-&lt;id&gt;</c>, not the manifest's).
/// </summary>
public sealed record JobResourceDto(string Cluster, string Namespace, string Name, string Kind, string ApiVersion)
{
    public static JobResourceDto? From(CustomResourceReference? reference) =>
        reference is null ? null : new(reference.Cluster, reference.Namespace, reference.Name, reference.Kind, reference.ApiVersion);
}
