using ClusterConnection = Gantry.Core.Clusters.ClusterConnection;
using k8s;
using k8s.KubeConfigModels;

namespace Gantry.Backends.Kubernetes;

/// <summary>
/// Turns a stored <see cref="ClusterConnection"/> into the client library's configuration.
/// It goes through a one-context kubeconfig object rather than setting properties by hand, so
/// that token, client certificate, CA data, TLS server name and exec plugins are handled by the
/// library's own kubeconfig code exactly as for a kubeconfig file.
/// </summary>
public static class KubernetesConfigurationFactory
{
    private const string Name = "gantry";
    private const string TokenFilePlaceholder = "set-from-the-token-file";

    /// <summary>
    /// Builds the configuration. An exec plugin runs here, synchronously (the library's
    /// behaviour): call it off the request path. Throws <see cref="k8s.Exceptions.KubeConfigException"/>
    /// for a connection the library cannot use.
    /// </summary>
    public static KubernetesClientConfiguration Create(ClusterConnection connection, TimeSpan? requestTimeout = null)
    {
        var kubeconfig = new K8SConfiguration
        {
            ApiVersion = "v1",
            Kind = "Config",
            CurrentContext = Name,
            Clusters =
            [
                new Cluster
                {
                    Name = Name,
                    ClusterEndpoint = new ClusterEndpoint
                    {
                        Server = connection.Server,
                        CertificateAuthorityData = connection.CertificateAuthorityData,
                        CertificateAuthority = connection.CertificateAuthorityFile,
                        SkipTlsVerify = connection.InsecureSkipTlsVerify,
                        TlsServerName = connection.TlsServerName,
                    },
                },
            ],
            Users = [new User { Name = Name, UserCredentials = Credentials(connection) }],
            Contexts =
            [
                new Context
                {
                    Name = Name,
                    ContextDetails = new ContextDetails { Cluster = Name, User = Name, Namespace = connection.Namespace },
                },
            ],
        };
        var configuration = KubernetesClientConfiguration.BuildConfigFromConfigObject(kubeconfig, Name);
        // The API server never redirects its own API; a redirect comes from behind its service
        // proxy (a Spark UI's "/" to "/jobs/") and belongs to the caller of the proxy, who rewrites
        // it. Followed here, it would be requested from the API server itself, without the token.
        configuration.FirstMessageHandlerSetup = handler => handler.AllowAutoRedirect = false;
        if (connection.TokenFile is { } tokenFile)
        {
            // Read per request (when it changed), not once: the kubelet rotates projected tokens.
            configuration.AccessToken = null;
            configuration.TokenProvider = new TokenFileProvider(tokenFile);
        }
        if (requestTimeout is { } timeout)
        {
            configuration.HttpClientTimeout = timeout;
        }
        return configuration;
    }

    private static UserCredentials Credentials(ClusterConnection connection) => new()
    {
        // The library refuses a user without credentials; a token file's token is set below instead.
        Token = connection.TokenFile is not null ? TokenFilePlaceholder : connection.Token,
        ClientCertificateData = connection.ClientCertificateData,
        ClientKeyData = connection.ClientKeyData,
        ExternalExecution = connection.Exec is not { } exec ? null : new ExternalExecution
        {
            ApiVersion = exec.ApiVersion,
            Command = exec.Command,
            Arguments = [.. exec.Args],
            EnvironmentVariables = [.. exec.Env.Select(e => new Dictionary<string, string> { ["name"] = e.Key, ["value"] = e.Value })],
        },
    };
}
