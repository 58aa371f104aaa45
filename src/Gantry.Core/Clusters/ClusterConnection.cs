namespace Gantry.Core.Clusters;

/// <summary>
/// How to reach a Kubernetes cluster's API server and who Gantry is there: a secret. It is
/// stored encrypted, never logged and never answered by the API.
/// </summary>
public sealed record ClusterConnection
{
    /// <summary>The API server's URL, e.g. <c>https://10.0.0.1:6443</c>.</summary>
    public required string Server { get; init; }

    /// <summary>Where Gantry creates jobs unless the job's owner has a namespace of their own there.</summary>
    public string Namespace { get; init; } = "default";

    /// <summary>Base64 of the PEM bundle the server's certificate must chain to (kubeconfig's certificate-authority-data).</summary>
    public string? CertificateAuthorityData { get; init; }

    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary>Name to check the server's certificate against when it differs from the URL's host.</summary>
    public string? TlsServerName { get; init; }

    public string? Token { get; init; }

    /// <summary>Base64 PEM of a client certificate and its key (kubeconfig's client-certificate-data and client-key-data).</summary>
    public string? ClientCertificateData { get; init; }

    public string? ClientKeyData { get; init; }

    /// <summary>A credential plugin run to obtain a token (kubeconfig's user.exec).</summary>
    public ExecCredential? Exec { get; init; }

    /// <summary>
    /// A file holding the bearer token, read again whenever it changes: in-cluster mode's projected
    /// service-account token, which the kubelet rotates. Only in-cluster mode sets it, never the API
    /// (a path is not a credential a caller may hand the gateway).
    /// </summary>
    public string? TokenFile { get; init; }

    /// <summary>A PEM file of the certificate(s) the server's certificate must chain to (in-cluster mode's ca.crt).</summary>
    public string? CertificateAuthorityFile { get; init; }
}
