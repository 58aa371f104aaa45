namespace Gantry.Sandbox.Store;

/// <summary>The built-in resources the sandbox serves (those Gantry, kubectl and the simulators use).</summary>
internal static class BuiltInTypes
{
    public static readonly ResourceType Namespaces = new("", "v1", "namespaces", "Namespace", Namespaced: false, HasStatus: true) { ShortNames = ["ns"], Verbs = ["create", "delete", "get", "list", "patch", "update", "watch"] };
    public static readonly ResourceType Nodes = new("", "v1", "nodes", "Node", Namespaced: false, HasStatus: true) { ShortNames = ["no"] };
    public static readonly ResourceType Pods = new("", "v1", "pods", "Pod", Namespaced: true, HasStatus: true) { ShortNames = ["po"], Categories = ["all"], Subresources = ["log", "proxy"] };
    public static readonly ResourceType Services = new("", "v1", "services", "Service", Namespaced: true, HasStatus: true) { ShortNames = ["svc"], Categories = ["all"], Subresources = ["proxy"] };
    public static readonly ResourceType Endpoints = new("", "v1", "endpoints", "Endpoints", Namespaced: true) { ShortNames = ["ep"] };
    public static readonly ResourceType ServiceAccounts = new("", "v1", "serviceaccounts", "ServiceAccount", Namespaced: true) { ShortNames = ["sa"], Subresources = ["token"] };
    public static readonly ResourceType Events = new("", "v1", "events", "Event", Namespaced: true) { ShortNames = ["ev"] };
    public static readonly ResourceType ConfigMaps = new("", "v1", "configmaps", "ConfigMap", Namespaced: true) { ShortNames = ["cm"] };
    public static readonly ResourceType Secrets = new("", "v1", "secrets", "Secret", Namespaced: true);
    public static readonly ResourceType ResourceQuotas = new("", "v1", "resourcequotas", "ResourceQuota", Namespaced: true, HasStatus: true) { ShortNames = ["quota"] };

    private const string Rbac = "rbac.authorization.k8s.io";
    public static readonly ResourceType Roles = new(Rbac, "v1", "roles", "Role", Namespaced: true);
    public static readonly ResourceType RoleBindings = new(Rbac, "v1", "rolebindings", "RoleBinding", Namespaced: true);
    public static readonly ResourceType ClusterRoles = new(Rbac, "v1", "clusterroles", "ClusterRole", Namespaced: false);
    public static readonly ResourceType ClusterRoleBindings = new(Rbac, "v1", "clusterrolebindings", "ClusterRoleBinding", Namespaced: false);

    public static readonly ResourceType CustomResourceDefinitions =
        new("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", Namespaced: false, HasStatus: true) { ShortNames = ["crd", "crds"] };

    public static readonly ResourceType SelfSubjectAccessReviews =
        new("authorization.k8s.io", "v1", "selfsubjectaccessreviews", "SelfSubjectAccessReview", Namespaced: false) { Verbs = ["create"] };

    public static readonly ResourceType TokenReviews =
        new("authentication.k8s.io", "v1", "tokenreviews", "TokenReview", Namespaced: false) { Verbs = ["create"] };

    /// <summary>batch/v1 Jobs: the JobSet beneath a TrainJob makes one per replicated job.</summary>
    public static readonly ResourceType Jobs = new("batch", "v1", "jobs", "Job", Namespaced: true, HasStatus: true) { Categories = ["all"] };

    public static IReadOnlyList<ResourceType> All { get; } =
    [
        Namespaces, Nodes, Pods, Services, Endpoints, ServiceAccounts, Events, ConfigMaps, Secrets, ResourceQuotas, Jobs,
        Roles, RoleBindings, ClusterRoles, ClusterRoleBindings, CustomResourceDefinitions, SelfSubjectAccessReviews, TokenReviews,
    ];
}
