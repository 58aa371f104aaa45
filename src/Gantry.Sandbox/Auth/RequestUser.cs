namespace Gantry.Sandbox.Auth;

/// <summary>Who a request comes from, as RBAC sees it: a user name and groups.</summary>
internal sealed record RequestUser(string Name, IReadOnlyList<string> Groups)
{
    public static RequestUser Admin { get; } = new("sandbox-admin", ["system:masters", "system:authenticated"]);

    public static RequestUser ServiceAccount(string ns, string name) =>
        new($"system:serviceaccount:{ns}:{name}", ["system:serviceaccounts", $"system:serviceaccounts:{ns}", "system:authenticated"]);

    public bool IsClusterAdmin => Groups.Contains("system:masters");
}
