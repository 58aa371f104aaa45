using Gantry.Core.Clusters;
using Gantry.Core.Errors;
using Gantry.Server.Options;
using Gantry.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gantry.Server.Clusters;

/// <summary>
/// In-cluster mode (<c>Gantry:InCluster</c>): registers the cluster this pod runs in, at every
/// start, before the gateway is ready. The stored connection names the service account's token and
/// CA files, not their contents, so every replica signs in with the token of its own pod as the
/// kubelet rotates it, and nothing secret is stored. Any replica may register, not only the
/// leader: the registration is idempotent (a replica that finds the cluster already registered
/// changes nothing, or only the connection when its settings changed), every replica computes the
/// same connection from the same ConfigMap, and the cluster must be there before the first
/// scheduling round, when no leader may have been elected yet.
/// </summary>
public sealed partial class InClusterRegistration(
    IGantryStore store,
    ClusterRegistrar registrar,
    ClusterConnectionProtector protector,
    IOptions<GantryOptions> options,
    ILogger<InClusterRegistration> logger)
{
    /// <summary>Marks the cluster in-cluster mode registered, so that it never takes over a cluster an admin registered under the same name.</summary>
    public const string Label = "gantry.io/in-cluster";

    public async Task RegisterAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value.InCluster;
        if (!settings.Enabled)
        {
            return;
        }
        var name = settings.ClusterName;
        var connection = Connection(settings, Environment.GetEnvironmentVariable);
        // Two tries: a replica starting beside another may lose the race to add it, then finds it.
        for (var attempt = 1; ; attempt++)
        {
            var existing = await store.Clusters.GetAsync(name, cancellationToken);
            if (existing is null)
            {
                try
                {
                    await registrar.AddAsync(name, new Dictionary<string, string> { [Label] = "true" }, connection, cancellationToken);
                }
                catch (ConflictException) when (attempt == 1)
                {
                    continue;
                }
                LogRegistered(name, connection.Server, connection.Namespace);
                if (settings.CordonLocal)
                {
                    await store.Clusters.SetCordonedAsync(Cluster.LocalName, true, cancellationToken);
                    LogLocalCordoned(name);
                }
                return;
            }
            if (existing.Type != ClusterTypes.Kubernetes || existing.Labels.GetValueOrDefault(Label) != "true")
            {
                throw new InvalidOperationException(
                    $"Gantry:InCluster:ClusterName '{name}' names a cluster that was registered otherwise (import or the API), which in-cluster mode does not take over: choose another name, or remove that cluster.");
            }
            var stored = await store.Clusters.GetConnectionAsync(name, cancellationToken);
            if (stored is not null && protector.Unprotect(name, stored) == connection)
            {
                LogAlreadyRegistered(name);
                return;
            }
            await store.Clusters.SetConnectionAsync(name, protector.Protect(connection), cancellationToken);
            LogUpdated(name, connection.Server, connection.Namespace);
            return;
        }
    }

    /// <summary>The connection in-cluster mode registers: file paths for the token and CA, the API server from the pod's environment.</summary>
    public static ClusterConnection Connection(InClusterOptions settings, Func<string, string?> environment) => new()
    {
        Server = settings.ResolveServer(environment) ?? throw new InvalidOperationException("Gantry:InCluster:Server is not set and this is not a pod."),
        Namespace = settings.Namespace.Length > 0 ? settings.Namespace
            : File.Exists(settings.NamespaceFile) && File.ReadAllText(settings.NamespaceFile).Trim() is { Length: > 0 } own ? own
            : "default",
        TokenFile = Path.GetFullPath(settings.TokenFile),
        CertificateAuthorityFile = Path.GetFullPath(settings.CertificateAuthorityFile),
    };

    [LoggerMessage(1310, LogLevel.Information, "In-cluster mode: registered the cluster this gateway runs in as {Cluster} ({Server}, jobs in namespace {Namespace}), signing in with the pod's service-account token")]
    private partial void LogRegistered(string cluster, string server, string @namespace);

    [LoggerMessage(1311, LogLevel.Information, "In-cluster mode: cordoned the local cluster, whose jobs would run inside the gateway's pod (uncordon it to allow them; this happens only at the first registration of {Cluster})")]
    private partial void LogLocalCordoned(string cluster);

    [LoggerMessage(1312, LogLevel.Debug, "In-cluster mode: cluster {Cluster} is already registered as these settings say")]
    private partial void LogAlreadyRegistered(string cluster);

    [LoggerMessage(1313, LogLevel.Information, "In-cluster mode: updated the connection of cluster {Cluster} to {Server}, jobs in namespace {Namespace}")]
    private partial void LogUpdated(string cluster, string server, string @namespace);
}
