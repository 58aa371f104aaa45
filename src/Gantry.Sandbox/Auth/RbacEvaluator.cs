using System.Text.Json.Nodes;
using Gantry.Sandbox.Store;

namespace Gantry.Sandbox.Auth;

/// <summary>
/// RBAC as kube-apiserver evaluates it: a request is allowed when some ClusterRoleBinding, or a
/// RoleBinding in the request's namespace, binds the user (or a group of theirs) to a role with a
/// matching rule. There are no deny rules.
/// </summary>
internal sealed class RbacEvaluator(ObjectStore store)
{
    public (bool Allowed, string Reason) Check(RequestUser user, ResourceAttributes request)
    {
        if (user.IsClusterAdmin)
        {
            return (true, "allowed as a member of system:masters");
        }
        foreach (var binding in store.List(BuiltInTypes.ClusterRoleBindings.Group, "clusterrolebindings", null).Items)
        {
            if (Binds(binding, user) && RoleAllows(binding, null, request))
            {
                return (true, $"RBAC: allowed by ClusterRoleBinding \"{binding.Name()}\" of ClusterRole \"{RoleName(binding)}\" to {Describe(user)}");
            }
        }
        if (request.Namespace is { Length: > 0 } ns)
        {
            foreach (var binding in store.List(BuiltInTypes.RoleBindings.Group, "rolebindings", ns).Items)
            {
                if (Binds(binding, user) && RoleAllows(binding, ns, request))
                {
                    return (true, $"RBAC: allowed by RoleBinding \"{binding.Name()}/{ns}\" of {ObjectMeta.Text(binding["roleRef"]?["kind"])} \"{RoleName(binding)}\" to {Describe(user)}");
                }
            }
        }
        return (false, "");
    }

    /// <summary>The 403 message kube-apiserver gives for a refused request.</summary>
    public static string ForbiddenMessage(RequestUser user, ResourceAttributes request)
    {
        var subject = request.Group.Length == 0 ? request.Resource : $"{request.Resource}.{request.Group}";
        var named = request.Name is { Length: > 0 } name ? $"{subject} \"{name}\"" : subject;
        var scope = request.Namespace is { Length: > 0 } ns ? $"in the namespace \"{ns}\"" : "at the cluster scope";
        return $"{named} is forbidden: User \"{user.Name}\" cannot {request.Verb} resource \"{request.ResourceWithSubresource}\" in API group \"{request.Group}\" {scope}";
    }

    private bool RoleAllows(JsonObject binding, string? bindingNamespace, ResourceAttributes request)
    {
        var kind = ObjectMeta.Text(binding["roleRef"]?["kind"]);
        var role = kind switch
        {
            "ClusterRole" => store.Get(new ObjectKey(BuiltInTypes.ClusterRoles.Group, "clusterroles", "", RoleName(binding))),
            "Role" when bindingNamespace is not null => store.Get(new ObjectKey(BuiltInTypes.Roles.Group, "roles", bindingNamespace, RoleName(binding))),
            _ => null,
        };
        return role?["rules"] is JsonArray rules && rules.OfType<JsonObject>().Any(rule => RuleMatches(rule, request));
    }

    private static bool RuleMatches(JsonObject rule, ResourceAttributes request) =>
        Matches(rule["verbs"], request.Verb)
        && Matches(rule["apiGroups"], request.Group)
        && (Matches(rule["resources"], request.ResourceWithSubresource)
            || request.Subresource is not null && Contains(rule["resources"], $"*/{request.Subresource}")
            || request.Subresource is null && Contains(rule["resources"], request.Resource))
        && (rule["resourceNames"] is not JsonArray { Count: > 0 } names || request.Name is { } name && Contains(names, name));

    private static bool Matches(JsonNode? list, string value) => Contains(list, "*") || Contains(list, value);

    private static bool Contains(JsonNode? list, string value) =>
        list is JsonArray array && array.Any(v => ObjectMeta.Text(v) == value);

    private static bool Binds(JsonObject binding, RequestUser user) =>
        binding["subjects"] is JsonArray subjects && subjects.OfType<JsonObject>().Any(s => ObjectMeta.Text(s["kind"]) switch
        {
            "ServiceAccount" => user.Name == $"system:serviceaccount:{ObjectMeta.Text(s["namespace"]) ?? binding.Namespace()}:{ObjectMeta.Text(s["name"])}",
            "User" => user.Name == ObjectMeta.Text(s["name"]),
            "Group" => user.Groups.Contains(ObjectMeta.Text(s["name"]) ?? ""),
            _ => false,
        });

    private static string RoleName(JsonObject binding) => ObjectMeta.Text(binding["roleRef"]?["name"]) ?? "";

    private static string Describe(RequestUser user) =>
        user.Name.StartsWith("system:serviceaccount:", StringComparison.Ordinal)
            ? $"ServiceAccount \"{user.Name.Split(':')[3]}/{user.Name.Split(':')[2]}\""
            : $"User \"{user.Name}\"";
}
