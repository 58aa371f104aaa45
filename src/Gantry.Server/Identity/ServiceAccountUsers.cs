using Gantry.Backends.Kubernetes.Management;
using Gantry.Core.Errors;
using Gantry.Server.Clusters;
using Gantry.Server.Options;
using Gantry.Storage;
using k8s;
using Microsoft.Extensions.Options;

namespace Gantry.Server.Identity;

/// <summary>
/// Which Gantry user a service account acts for. A token names a namespace's service account,
/// not a person (kubeflow/pipelines#4440): the namespace is the tenant. In order:
/// <list type="number">
/// <item>a configured mapping (<c>Gantry:Identity:Kubernetes:Users</c>) of the account, of CLUSTER/NS, or of NS;</item>
/// <item>the user the cluster is shared with in that namespace (<c>gantry clusters share</c>); when
/// several are, the one whose service account this is;</item>
/// <item>the Kubeflow Profile's owner: the namespace's <c>owner</c> annotation (with ProfileOwners).</item>
/// </list>
/// </summary>
public sealed class ServiceAccountUsers(IGantryStore store, IClusterConnections connections, IOptions<GantryOptions> options)
{
    /// <summary>The annotation the Kubeflow Profile controller puts on a profile's namespace: the owner's e-mail.</summary>
    public const string ProfileOwnerAnnotation = "owner";

    /// <summary>The user name, or why there is none.</summary>
    public async Task<(string? User, string? Refusal)> UserOfAsync(ServiceAccountIdentity account, CancellationToken cancellationToken)
    {
        var settings = options.Value.Identity.Kubernetes;
        foreach (var key in new[] { account.UserName, $"{account.Cluster}/{account.Namespace}", account.Namespace })
        {
            if (settings.Users.TryGetValue(key, out var mapped))
            {
                return (mapped, null);
            }
        }
        var shares = (await store.Shares.ListAsync(account.Cluster, cancellationToken)).Where(s => s.Namespace == account.Namespace).ToList();
        switch (shares)
        {
            case [var only]:
                return (only.User, null);
            case [_, _, ..] when shares.FirstOrDefault(s => s.ServiceAccount == account.Name) is { } own:
                return (own.User, null);
            case [_, _, ..]:
                return (null, $"Namespace {account.Namespace} of cluster {account.Cluster} is shared with several users ({string.Join(", ", shares.Select(s => s.User))}) and {account.UserName} is none of theirs; map it in Gantry:Identity:Kubernetes:Users.");
        }
        if (settings.ProfileOwners && await ProfileOwnerAsync(account, cancellationToken) is { } owner)
        {
            return (owner, null);
        }
        return (null,
            $"{account.UserName} of cluster {account.Cluster} is no Gantry user's: share the cluster with a user in namespace {account.Namespace} " +
            $"(gantry clusters share {account.Cluster} --user NAME --namespace {account.Namespace}), or map it in Gantry:Identity:Kubernetes:Users.");
    }

    private async Task<string?> ProfileOwnerAsync(ServiceAccountIdentity account, CancellationToken cancellationToken)
    {
        try
        {
            var connection = await connections.GetAsync(account.Cluster, cancellationToken);
            using var client = await KubernetesApi.ConnectAsync(connection, TimeSpan.FromSeconds(options.Value.Kubernetes.RequestTimeoutSeconds), cancellationToken);
            var ns = await client.CoreV1.ReadNamespaceAsync(account.Namespace, cancellationToken: cancellationToken);
            return ns.Metadata?.Annotations?.TryGetValue(ProfileOwnerAnnotation, out var owner) == true ? UserDirectory.NameFrom(owner) : null;
        }
        catch (Exception e) when (e is ClusterApiException or NotFoundException or HttpRequestException or k8s.Autorest.HttpOperationException
            or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // No namespace to read (or no right to): not a profile, as far as Gantry can tell.
            return null;
        }
    }
}
