using Gantry.Backends.Kubernetes.Management;
using Gantry.Core.Clusters;
using Gantry.Core.Errors;
using Gantry.Core.Validation;
using Gantry.Server.Options;
using Gantry.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gantry.Server.Clusters;

/// <summary>
/// Shares a cluster with a Gantry user: their namespace, service account, Role and RoleBinding
/// in the cluster, a kubeconfig with a fresh token for them, and the share in the store so
/// their jobs go to that namespace. The token is handed back once and never stored or logged.
/// </summary>
public sealed partial class ClusterSharing(
    IGantryStore store, IClusterConnections connections, KubernetesKinds kinds, IOptions<GantryOptions> options, TimeProvider time, ILogger<ClusterSharing> logger)
{
    public async Task<(ClusterShare Share, IssuedToken Token, string Kubeconfig)> ShareAsync(
        string cluster, string user, string? @namespace, long? expirationSeconds, CancellationToken cancellationToken)
    {
        var connection = await ConnectionOfAsync(cluster, cancellationToken);
        var errors = new ValidationErrors();
        if (await store.Users.GetAsync(user, cancellationToken) is null)
        {
            errors.Add("user", $"'{user}' is not a Gantry user; create it first (gantry users create {user})");
        }
        var existing = await store.Shares.GetAsync(cluster, user, cancellationToken);
        var ns = @namespace ?? existing?.Namespace ?? ShareNames.DefaultNamespace(user);
        if (!ClusterRules.IsValidNamespace(ns))
        {
            errors.Add("namespace", $"'{ns}' {ClusterRules.NamespaceRule}");
        }
        if (expirationSeconds is < 600)
        {
            errors.Add("expirationSeconds", "must be at least 600, the API server's minimum");
        }
        errors.ThrowIfAny("The share has invalid fields.");

        using var client = await KubernetesApi.ConnectAsync(connection, Timeout, cancellationToken);
        if (existing is not null && existing.Namespace != ns)
        {
            // Moving the user: their old service account stops working before the new one starts.
            await NamespaceShare.RevokeAsync(client, Spec(existing.User, existing.Namespace, existing.ServiceAccount, 0), cancellationToken);
        }
        var spec = Spec(user, ns, ShareNames.ServiceAccount(user), expirationSeconds ?? options.Value.Clusters.ShareTokenExpirationSeconds);
        var token = await NamespaceShare.ProvisionAsync(client, spec, cancellationToken);
        var share = new ClusterShare
        {
            Cluster = cluster,
            User = user,
            Namespace = ns,
            ServiceAccount = spec.ServiceAccount,
            CreatedAt = existing?.Namespace == ns ? existing.CreatedAt : time.GetUtcNow(),
        };
        await store.Shares.PutAsync(share, cancellationToken);
        LogShared(cluster, user, ns, token.ExpiresAt);
        return (share, token, UserKubeconfig.Build(cluster, connection, user, ns, token.Token));
    }

    public async Task UnshareAsync(string cluster, string user, CancellationToken cancellationToken)
    {
        var connection = await ConnectionOfAsync(cluster, cancellationToken);
        var share = await store.Shares.GetAsync(cluster, user, cancellationToken) ?? throw new NotFoundException($"Share of cluster '{cluster}' with user", user);
        using (var client = await KubernetesApi.ConnectAsync(connection, Timeout, cancellationToken))
        {
            await NamespaceShare.RevokeAsync(client, Spec(share.User, share.Namespace, share.ServiceAccount, 0), cancellationToken);
        }
        await store.Shares.RemoveAsync(cluster, user, cancellationToken);
        LogUnshared(cluster, user, share.Namespace);
    }

    public async Task<IReadOnlyList<ClusterShare>> ListAsync(string cluster, CancellationToken cancellationToken)
    {
        _ = await store.Clusters.GetAsync(cluster, cancellationToken) ?? throw new NotFoundException("Cluster", cluster);
        return await store.Shares.ListAsync(cluster, cancellationToken);
    }

    private TimeSpan Timeout => TimeSpan.FromSeconds(options.Value.Kubernetes.RequestTimeoutSeconds);

    private ShareSpec Spec(string user, string ns, string serviceAccount, long expirationSeconds) =>
        new(user, ns, serviceAccount, kinds.All.Select(k => k.Resource).ToList(), expirationSeconds);

    private async Task<ClusterConnection> ConnectionOfAsync(string cluster, CancellationToken cancellationToken)
    {
        var found = await store.Clusters.GetAsync(cluster, cancellationToken) ?? throw new NotFoundException("Cluster", cluster);
        if (found.Type != ClusterTypes.Kubernetes)
        {
            throw new ConflictException($"Cluster '{cluster}' is this machine, not a Kubernetes cluster: it has no namespaces to share.");
        }
        return await connections.GetAsync(cluster, cancellationToken);
    }

    [LoggerMessage(1510, LogLevel.Information, "Shared cluster {Cluster} with {User} in namespace {Namespace}; token expires {ExpiresAt}")]
    private partial void LogShared(string cluster, string user, string @namespace, DateTimeOffset? expiresAt);

    [LoggerMessage(1511, LogLevel.Information, "Unshared cluster {Cluster} with {User} (namespace {Namespace} kept)")]
    private partial void LogUnshared(string cluster, string user, string @namespace);
}
