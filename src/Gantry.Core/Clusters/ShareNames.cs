namespace Gantry.Core.Clusters;

/// <summary>
/// The Kubernetes names a share gives a user. User names may hold '.', '_', '+' and '@', which
/// namespaces and service accounts may not, so all become '-'.
/// </summary>
public static class ShareNames
{
    public static string DefaultNamespace(string user) => Trim("gantry-" + Dns(user));

    public static string ServiceAccount(string user) => Trim("gantry-" + Dns(user));

    private static string Dns(string user) => user.ToLowerInvariant().Replace('.', '-').Replace('_', '-').Replace('+', '-').Replace('@', '-');

    // 63 is the limit of a DNS label; a name must not end with '-'.
    private static string Trim(string name) => (name.Length > 63 ? name[..63] : name).TrimEnd('-');
}
