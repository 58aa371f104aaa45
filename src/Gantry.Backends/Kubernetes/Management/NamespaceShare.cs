using k8s;
using k8s.Models;

namespace Gantry.Backends.Kubernetes.Management;

/// <summary>
/// Creates (or brings back in line) what a share needs in the cluster, and revokes it. Every step
/// tolerates what is already there, so repeating a share changes nothing but the token.
/// </summary>
public static class NamespaceShare
{
    private static readonly Dictionary<string, string> ManagedBy = new() { ["app.kubernetes.io/managed-by"] = "gantry" };

    public static async Task<IssuedToken> ProvisionAsync(IKubernetes client, ShareSpec spec, CancellationToken cancellationToken)
    {
        var labels = new Dictionary<string, string>(ManagedBy) { ["gantry.io/user"] = spec.User };
        await CreateOrKeepAsync($"create namespace {spec.Namespace}", () => client.CoreV1.CreateNamespaceAsync(
            new V1Namespace { Metadata = new V1ObjectMeta { Name = spec.Namespace, Labels = ManagedBy } }, cancellationToken: cancellationToken), cancellationToken);
        await CreateOrKeepAsync($"create service account {spec.Namespace}/{spec.ServiceAccount}", () => client.CoreV1.CreateNamespacedServiceAccountAsync(
            new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = spec.ServiceAccount, NamespaceProperty = spec.Namespace, Labels = labels } },
            spec.Namespace, cancellationToken: cancellationToken), cancellationToken);
        await ApplyRoleAsync(client, spec, cancellationToken);
        await CreateOrKeepAsync($"create role binding {spec.Namespace}/{spec.RoleBindingName}", () => client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(
            new V1RoleBinding
            {
                Metadata = new V1ObjectMeta { Name = spec.RoleBindingName, NamespaceProperty = spec.Namespace, Labels = labels },
                Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = spec.ServiceAccount, NamespaceProperty = spec.Namespace }],
                RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = ShareSpec.RoleName },
            }, spec.Namespace, cancellationToken: cancellationToken), cancellationToken);
        var issued = await KubernetesApi.CallAsync($"TokenRequest for {spec.Namespace}/{spec.ServiceAccount}", () => client.CoreV1.CreateNamespacedServiceAccountTokenAsync(
            new Authenticationv1TokenRequest
            {
                ApiVersion = "authentication.k8s.io/v1",
                Kind = "TokenRequest",
                Spec = new V1TokenRequestSpec { Audiences = [], ExpirationSeconds = spec.TokenExpirationSeconds },
            }, spec.ServiceAccount, spec.Namespace, cancellationToken: cancellationToken), cancellationToken);
        var token = issued.Status?.Token;
        if (string.IsNullOrEmpty(token))
        {
            throw new ClusterApiException($"TokenRequest for {spec.Namespace}/{spec.ServiceAccount} answered no token.");
        }
        return new IssuedToken(token, issued.Status!.ExpirationTimestamp is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null);
    }

    /// <summary>
    /// Deletes the user's role binding and service account, which invalidates every token issued
    /// for it. The namespace stays: it may hold the user's data and other users' shares.
    /// </summary>
    public static async Task RevokeAsync(IKubernetes client, ShareSpec spec, CancellationToken cancellationToken)
    {
        await DeleteIfThereAsync($"delete role binding {spec.Namespace}/{spec.RoleBindingName}",
            () => client.RbacAuthorizationV1.DeleteNamespacedRoleBindingAsync(spec.RoleBindingName, spec.Namespace, cancellationToken: cancellationToken), cancellationToken);
        await DeleteIfThereAsync($"delete service account {spec.Namespace}/{spec.ServiceAccount}",
            () => client.CoreV1.DeleteNamespacedServiceAccountAsync(spec.ServiceAccount, spec.Namespace, cancellationToken: cancellationToken), cancellationToken);
    }

    /// <summary>The Role is replaced when it exists, so that a share made by an older Gantry gains rights added since.</summary>
    private static async Task ApplyRoleAsync(IKubernetes client, ShareSpec spec, CancellationToken cancellationToken)
    {
        var role = new V1Role
        {
            Metadata = new V1ObjectMeta { Name = ShareSpec.RoleName, NamespaceProperty = spec.Namespace, Labels = ManagedBy },
            Rules = ShareRole.Rules(spec.JobResources),
        };
        try
        {
            await client.RbacAuthorizationV1.CreateNamespacedRoleAsync(role, spec.Namespace, cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (KubernetesApi.IsAlreadyExists(ex))
        {
            await KubernetesApi.CallAsync($"replace role {spec.Namespace}/{ShareSpec.RoleName}", () =>
                client.RbacAuthorizationV1.ReplaceNamespacedRoleAsync(role, ShareSpec.RoleName, spec.Namespace, cancellationToken: cancellationToken), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await KubernetesApi.CallAsync($"create role {spec.Namespace}/{ShareSpec.RoleName}", () => Task.FromException(ex), cancellationToken);
        }
    }

    private static async Task CreateOrKeepAsync<T>(string doing, Func<Task<T>> create, CancellationToken cancellationToken)
    {
        try
        {
            await create();
        }
        catch (Exception ex) when (KubernetesApi.IsAlreadyExists(ex))
        {
            // Already there from an earlier share: keep it.
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await KubernetesApi.CallAsync(doing, () => Task.FromException(ex), cancellationToken);
        }
    }

    private static async Task DeleteIfThereAsync<T>(string doing, Func<Task<T>> delete, CancellationToken cancellationToken)
    {
        try
        {
            await delete();
        }
        catch (Exception ex) when (KubernetesApi.IsNotFound(ex))
        {
            // Gone already.
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await KubernetesApi.CallAsync(doing, () => Task.FromException(ex), cancellationToken);
        }
    }
}
