using Gantry.Core.Clusters;
using Gantry.Core.Validation;
using k8s.KubeConfigModels;

namespace Gantry.Backends.Kubernetes.Management;

/// <summary>
/// Resolves one context of a kubeconfig into the connection Gantry stores: the context's
/// cluster (server, CA) and user (token, client certificate or exec plugin) and its namespace.
/// File paths are refused: they point into the machine the kubeconfig came from.
/// </summary>
public static class KubeconfigContext
{
    private const string InlineHint = "the gateway cannot read files of the machine the kubeconfig came from; use the -data form (`gantry clusters import` inlines files)";

    /// <summary>The connection, or null with the problems added under <paramref name="prefix"/>.</summary>
    public static ClusterConnection? Resolve(K8SConfiguration kubeconfig, Context context, string prefix, ValidationErrors errors)
    {
        var before = errors.Count;
        var details = context.ContextDetails;
        if (details is null)
        {
            errors.Add(prefix.TrimEnd('.'), "the context names no cluster and no user");
            return null;
        }
        var cluster = kubeconfig.Clusters?.FirstOrDefault(c => c.Name == details.Cluster)?.ClusterEndpoint;
        if (cluster is null)
        {
            errors.Add(prefix + "cluster", $"names cluster '{details.Cluster}', which the kubeconfig does not define");
        }
        else if (cluster.CertificateAuthority is { Length: > 0 } && cluster.CertificateAuthorityData is null)
        {
            errors.Add(prefix + "certificate-authority", InlineHint);
        }
        var user = kubeconfig.Users?.FirstOrDefault(u => u.Name == details.User)?.UserCredentials;
        if (user is null)
        {
            errors.Add(prefix + "user", $"names user '{details.User}', which the kubeconfig does not define");
        }
        else
        {
            CheckUser(user, prefix, errors);
        }
        if (errors.Count > before || cluster is null || user is null)
        {
            return null;
        }
        var connection = new ClusterConnection
        {
            Server = cluster.Server ?? "",
            Namespace = string.IsNullOrEmpty(details.Namespace) ? "default" : details.Namespace,
            CertificateAuthorityData = cluster.CertificateAuthorityData,
            InsecureSkipTlsVerify = cluster.SkipTlsVerify,
            TlsServerName = cluster.TlsServerName,
            Token = string.IsNullOrEmpty(user.Token) ? null : user.Token,
            ClientCertificateData = user.ClientCertificateData,
            ClientKeyData = user.ClientKeyData,
            Exec = user.ExternalExecution is { } exec ? Exec(exec) : null,
        };
        ClusterRules.Validate(connection, prefix, errors);
        return errors.Count > before ? null : connection;
    }

    private static void CheckUser(UserCredentials user, string prefix, ValidationErrors errors)
    {
        if (user.ClientCertificate is { Length: > 0 } && user.ClientCertificateData is null)
        {
            errors.Add(prefix + "client-certificate", InlineHint);
        }
        if (user.ClientKey is { Length: > 0 } && user.ClientKeyData is null)
        {
            errors.Add(prefix + "client-key", InlineHint);
        }
        if (user.AuthProvider is not null)
        {
            errors.Add(prefix + "auth-provider", $"the legacy auth-provider '{user.AuthProvider.Name}' is not supported; use its exec credential plugin (kubelogin, gke-gcloud-auth-plugin, ...)");
        }
        if (!string.IsNullOrEmpty(user.UserName) && string.IsNullOrEmpty(user.Token) && user.ClientCertificateData is null && user.ExternalExecution is null)
        {
            errors.Add(prefix + "username", "basic authentication is not supported; use a token, a client certificate or an exec plugin");
        }
        if (!string.IsNullOrEmpty(user.Impersonate))
        {
            errors.Add(prefix + "as", "impersonation is not supported: the client library would not send it");
        }
    }

    private static ExecCredential Exec(ExternalExecution exec) => new()
    {
        Command = exec.Command ?? "",
        Args = exec.Arguments?.ToList() ?? [],
        Env = (exec.EnvironmentVariables ?? [])
            .Where(e => e.ContainsKey("name"))
            .ToDictionary(e => e["name"], e => e.GetValueOrDefault("value") ?? "", StringComparer.Ordinal),
        ApiVersion = string.IsNullOrEmpty(exec.ApiVersion) ? "client.authentication.k8s.io/v1" : exec.ApiVersion,
    };
}
