namespace Gantry.Server.Options;

/// <summary>
/// The <c>Gantry:InCluster</c> section: running in a Kubernetes pod, Gantry registers the cluster
/// it runs in under <see cref="ClusterName"/>, signing in with the pod's own service-account token
/// (read from its file as the kubelet rotates it), so no kubeconfig is needed. The paths are the
/// kubelet's; tests point them at files of their own.
/// </summary>
public sealed class InClusterOptions
{
    public const string ServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    public bool Enabled { get; set; }

    /// <summary>The name the cluster is registered under (a cluster name: lower-case, 1-63 characters).</summary>
    public string ClusterName { get; set; } = "in-cluster";

    /// <summary>The API server's URL; empty: https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT, as every pod has.</summary>
    public string Server { get; set; } = "";

    public string TokenFile { get; set; } = ServiceAccountDirectory + "/token";

    public string CertificateAuthorityFile { get; set; } = ServiceAccountDirectory + "/ca.crt";

    /// <summary>Holds the pod's namespace: where jobs go unless <see cref="Namespace"/> says otherwise.</summary>
    public string NamespaceFile { get; set; } = ServiceAccountDirectory + "/namespace";

    /// <summary>Where jobs of users without a share go on this cluster; empty: the pod's own namespace.</summary>
    public string Namespace { get; set; } = "";

    /// <summary>
    /// Cordon the <c>local</c> cluster when this cluster is first registered: local jobs would run
    /// inside the gateway's pod, beside its data. Only at that first registration, so an admin's
    /// later uncordon stands.
    /// </summary>
    public bool CordonLocal { get; set; } = true;

    /// <summary>The API server's URL from <see cref="Server"/> or the pod's environment; null when neither says.</summary>
    public string? ResolveServer(Func<string, string?> environment)
    {
        if (Server.Length > 0)
        {
            return Server;
        }
        if (environment("KUBERNETES_SERVICE_HOST") is not { Length: > 0 } host)
        {
            return null;
        }
        var port = environment("KUBERNETES_SERVICE_PORT") is { Length: > 0 } p ? p : "443";
        // An IPv6 service address needs brackets in a URL.
        return host.Contains(':', StringComparison.Ordinal) ? $"https://[{host}]:{port}" : $"https://{host}:{port}";
    }
}
