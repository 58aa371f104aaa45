using Gantry.Core.Kinds;

namespace Gantry.Backends.Kubernetes.Management;

/// <summary>What sharing a cluster with one user creates there: their namespace, service account and role binding.</summary>
public sealed record ShareSpec(
    string User,
    string Namespace,
    string ServiceAccount,
    IReadOnlyList<KubernetesResource> JobResources,
    long TokenExpirationSeconds)
{
    /// <summary>One Role per namespace serves every user shared into it.</summary>
    public const string RoleName = "gantry-job-user";

    public string RoleBindingName => $"{ServiceAccount}-{RoleName}";
}
