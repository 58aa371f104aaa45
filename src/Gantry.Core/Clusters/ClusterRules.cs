using System.Text.RegularExpressions;
using Gantry.Core.Validation;

namespace Gantry.Core.Clusters;

/// <summary>What makes a cluster name, a namespace and a connection valid, checked in full so every problem is reported at once.</summary>
public static partial class ClusterRules
{
    // Cluster names appear in job labels and URLs: keep them label-safe.
    [GeneratedRegex("^[a-z0-9]([-a-z0-9._]{0,61}[a-z0-9])?$")]
    private static partial Regex NamePattern();

    // A Kubernetes namespace is a DNS-1123 label.
    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex NamespacePattern();

    public const string NameRule = "must be 1-63 lower-case letters, digits, '-', '_' or '.', starting and ending with a letter or digit";

    public const string NamespaceRule = "must be a Kubernetes namespace name: 1-63 lower-case letters, digits or '-', starting and ending with a letter or digit";

    public static bool IsValidName(string? name) => name is not null && NamePattern().IsMatch(name);

    public static bool IsValidNamespace(string? name) => name is not null && NamespacePattern().IsMatch(name);

    /// <summary>
    /// Checks <paramref name="connection"/>, adding each problem under <paramref name="prefix"/>
    /// followed by the field's name (<c>server</c>, <c>certificateAuthorityData</c>, ...).
    /// </summary>
    public static void Validate(ClusterConnection connection, string prefix, ValidationErrors errors)
    {
        if (!Uri.TryCreate(connection.Server, UriKind.Absolute, out var server)
            || (server.Scheme != Uri.UriSchemeHttps && server.Scheme != Uri.UriSchemeHttp)
            || server.Host.Length == 0)
        {
            errors.Add(prefix + "server", $"'{connection.Server}' is not an http(s) URL such as https://10.0.0.1:6443");
        }
        if (!IsValidNamespace(connection.Namespace))
        {
            errors.Add(prefix + "namespace", $"'{connection.Namespace}' {NamespaceRule}");
        }
        if (connection.CertificateAuthorityData is { } ca && !IsBase64(ca))
        {
            errors.Add(prefix + "certificateAuthorityData", "must be base64 of the PEM certificate(s) the server's certificate chains to");
        }
        if (connection.CertificateAuthorityData is not null && connection.InsecureSkipTlsVerify)
        {
            errors.Add(prefix + "insecureSkipTlsVerify", "cannot be set together with certificateAuthorityData: either check the server's certificate or do not");
        }
        var hasToken = !string.IsNullOrEmpty(connection.Token);
        var hasCertificate = connection.ClientCertificateData is not null || connection.ClientKeyData is not null;
        if (!hasToken && !hasCertificate && connection.Exec is null && connection.TokenFile is null)
        {
            errors.Add(prefix + "token", "a credential is required: a token, a client certificate and key, or an exec plugin");
        }
        if (hasCertificate)
        {
            if (connection.ClientCertificateData is null || !IsBase64(connection.ClientCertificateData))
            {
                errors.Add(prefix + "clientCertificateData", "must be base64 of the PEM client certificate");
            }
            if (connection.ClientKeyData is null || !IsBase64(connection.ClientKeyData))
            {
                errors.Add(prefix + "clientKeyData", "must be base64 of the PEM private key of the client certificate");
            }
        }
        if (connection.Exec is { } exec && string.IsNullOrWhiteSpace(exec.Command))
        {
            errors.Add(prefix + "exec.command", "must name the credential plugin to run");
        }
    }

    private static bool IsBase64(string text)
    {
        if (text.Length == 0)
        {
            return false;
        }
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out _);
    }
}
