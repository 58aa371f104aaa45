using System.Text;

namespace Gantry.Sandbox;

/// <summary>Writes a kubeconfig with one context per sandbox cluster, each named after its cluster.</summary>
internal static class KubeconfigWriter
{
    public static string Write(IReadOnlyList<(SandboxCluster Cluster, string Token)> entries)
    {
        var text = new StringBuilder();
        text.Append("apiVersion: v1\nkind: Config\n");
        text.Append($"current-context: {Quote(entries.Count > 0 ? entries[0].Cluster.Name : "")}\n");
        text.Append("preferences: {}\nclusters:\n");
        foreach (var (cluster, _) in entries)
        {
            text.Append($"- name: {Quote(cluster.Name)}\n  cluster:\n    server: {cluster.Server.GetLeftPart(UriPartial.Authority)}\n    certificate-authority-data: {cluster.CertificateAuthorityData}\n");
        }
        text.Append("contexts:\n");
        foreach (var (cluster, _) in entries)
        {
            text.Append($"- name: {Quote(cluster.Name)}\n  context:\n    cluster: {Quote(cluster.Name)}\n    user: {Quote(cluster.Name + "-user")}\n    namespace: default\n");
        }
        text.Append("users:\n");
        foreach (var (cluster, token) in entries)
        {
            text.Append($"- name: {Quote(cluster.Name + "-user")}\n  user:\n    token: {Quote(token)}\n");
        }
        return text.ToString();
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
