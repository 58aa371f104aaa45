using Gantry.Core.Clusters;

namespace Gantry.Server.Options;

/// <summary>Checks <c>Gantry:InCluster</c> at start-up: enabled outside a pod, or without the service account's files, it says so by key.</summary>
public static class InClusterOptionsValidator
{
    public static void Validate(InClusterOptions options, Func<string, string?> environment, List<string> failures)
    {
        if (!options.Enabled)
        {
            return;
        }
        if (!ClusterRules.IsValidName(options.ClusterName) || options.ClusterName == Cluster.LocalName)
        {
            failures.Add($"Gantry:InCluster:ClusterName '{options.ClusterName}' {ClusterRules.NameRule}, and is not '{Cluster.LocalName}'.");
        }
        var server = options.ResolveServer(environment);
        if (server is null)
        {
            failures.Add("Gantry:InCluster:Server is empty and KUBERNETES_SERVICE_HOST is not set: Gantry is not running in a pod. Set Gantry:InCluster:Server, or Gantry:InCluster:Enabled=false.");
        }
        else if (!Uri.TryCreate(server, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            failures.Add($"Gantry:InCluster:Server '{server}' must be an https URL such as https://10.96.0.1:443.");
        }
        if (!File.Exists(options.TokenFile))
        {
            failures.Add($"Gantry:InCluster:TokenFile '{options.TokenFile}' does not exist: mount the service account's token (automountServiceAccountToken: true, or a projected volume).");
        }
        if (!File.Exists(options.CertificateAuthorityFile))
        {
            failures.Add($"Gantry:InCluster:CertificateAuthorityFile '{options.CertificateAuthorityFile}' does not exist: it is mounted beside the service account's token.");
        }
        if (options.Namespace.Length > 0 && !ClusterRules.IsValidNamespace(options.Namespace))
        {
            failures.Add($"Gantry:InCluster:Namespace '{options.Namespace}' {ClusterRules.NamespaceRule}.");
        }
        if (options.Namespace.Length == 0 && !File.Exists(options.NamespaceFile))
        {
            failures.Add($"Gantry:InCluster:NamespaceFile '{options.NamespaceFile}' does not exist; set Gantry:InCluster:Namespace to say where jobs go.");
        }
    }
}
