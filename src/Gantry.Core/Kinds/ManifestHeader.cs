using System.Text.Json.Nodes;

namespace Gantry.Core.Kinds;

/// <summary>The parts every Kubernetes object shares: <c>apiVersion</c>, <c>kind</c> and <c>metadata</c>.</summary>
internal static class ManifestHeader
{
    public static void Check(ManifestReader read, JsonObject manifest, string kind, KubernetesResource resource)
    {
        // Gantry submits the manifest as written, so a wrong apiVersion would only fail later at the API server.
        var apiVersion = read.String(manifest, "manifest", "apiVersion", required: true);
        if (apiVersion is not null && apiVersion != resource.ApiVersion)
        {
            read.Errors.Add("manifest.apiVersion", $"must be {resource.ApiVersion} for a {kind}, not '{apiVersion}'");
        }
        var actualKind = read.String(manifest, "manifest", "kind");
        if (actualKind is not null && actualKind != kind)
        {
            read.Errors.Add("manifest.kind", $"must be {kind}, not '{actualKind}'");
        }
        var metadata = read.Object(manifest, "manifest", "metadata");
        read.String(metadata, "manifest.metadata", "name");
        // The resource is created in this namespace (see docs/clusters.md), so a name no API server takes is refused now, not at dispatch.
        if (read.String(metadata, "manifest.metadata", "namespace") is { Length: > 0 } ns && !Clusters.ClusterRules.IsValidNamespace(ns))
        {
            read.Errors.Add("manifest.metadata.namespace", $"'{ns}' {Clusters.ClusterRules.NamespaceRule}");
        }
        read.Object(metadata, "manifest.metadata", "labels");
        read.Object(metadata, "manifest.metadata", "annotations");
    }
}
