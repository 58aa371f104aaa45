namespace Gantry.Server.Identity;

/// <summary>A service account a cluster's TokenReview vouched for, and the groups it gave.</summary>
public sealed record ServiceAccountIdentity(string Cluster, string Namespace, string Name, IReadOnlyList<string> Groups)
{
    public const string UserPrefix = "system:serviceaccount:";

    /// <summary>Its Kubernetes user name, <c>system:serviceaccount:NS:NAME</c>.</summary>
    public string UserName => $"{UserPrefix}{Namespace}:{Name}";

    public override string ToString() => $"{Cluster}/{Namespace}/{Name}";
}
