using Gantry.Backends.Kubernetes.Management;
using Gantry.Core.Kinds;
using k8s.Models;

namespace Gantry.Cli.Tests.Deploy;

/// <summary>The rights the manifests give Gantry's service account: what it uses, no wildcards, and bound to the account the pods run as.</summary>
public sealed class RbacTests
{
    public static TheoryData<string> Renders => [.. Kustomize.Renders];

    [Theory]
    [MemberData(nameof(Renders))]
    public async Task No_rule_uses_a_wildcard_or_grants_escalation(string render)
    {
        var manifests = await RenderedManifests.LoadAsync(render);
        var rules = manifests.All<V1ClusterRole>().SelectMany(r => r.Rules).Concat(manifests.All<V1Role>().SelectMany(r => r.Rules)).ToList();
        Assert.NotEmpty(rules);
        foreach (var rule in rules)
        {
            var all = rule.Verbs.Concat(rule.Resources ?? []).Concat(rule.ApiGroups ?? []);
            Assert.DoesNotContain(all, v => v.Contains('*', StringComparison.Ordinal));
            Assert.DoesNotContain(rule.Verbs, v => v is "escalate" or "bind" or "impersonate");
            Assert.Null(rule.NonResourceURLs);
        }
        // Secrets are written for jobs, never read back.
        Assert.DoesNotContain(rules.Where(r => r.Resources.Contains("secrets")), r => r.Verbs.Intersect(["get", "list", "watch"]).Any());
    }

    [Theory]
    [MemberData(nameof(Renders))]
    public async Task Every_binding_binds_a_rendered_role_to_the_gateways_service_account(string render)
    {
        var manifests = await RenderedManifests.LoadAsync(render);
        var account = manifests.Named<V1ServiceAccount>(manifests.Deployment.Spec.Template.Spec.ServiceAccountName);
        var bindings = manifests.All<V1ClusterRoleBinding>().ToList();
        Assert.NotEmpty(bindings);
        foreach (var binding in bindings)
        {
            Assert.Equal("ClusterRole", binding.RoleRef.Kind);
            manifests.Named<V1ClusterRole>(binding.RoleRef.Name);
            var subject = Assert.Single(binding.Subjects);
            Assert.Equal(("ServiceAccount", account.Metadata.Name, account.Metadata.NamespaceProperty), (subject.Kind, subject.Name, subject.NamespaceProperty));
        }
    }

    [Fact]
    public async Task The_base_role_holds_every_right_a_cluster_test_asks_for()
    {
        var manifests = await RenderedManifests.LoadAsync("ha");
        var rules = manifests.Named<V1ClusterRole>("gantry").Rules;
        var kinds = new Gantry.Server.Clusters.KubernetesKinds(JobKindRegistry.Default).All;
        Assert.NotEmpty(kinds);
        foreach (var (_, resource) in kinds)
        {
            foreach (var verb in new[] { "create", "get", "list", "watch", "delete" })
            {
                Assert.True(Allows(rules, resource.Group, resource.Plural, verb), $"{verb} {resource.Plural}.{resource.Group}");
            }
        }
        Assert.True(Allows(rules, "", "pods/log", "get"));
        Assert.True(Allows(rules, "", "pods", "list") && Allows(rules, "", "pods", "watch"));
        Assert.True(Allows(rules, "", "nodes", "list"));
        Assert.True(Allows(rules, "apiextensions.k8s.io", "customresourcedefinitions", "list"), "the health probe reads which kinds the cluster serves");
        Assert.False(Allows(rules, "", "namespaces", "create"), "creating namespaces is the namespace-sharing component's");
    }

    [Fact]
    public async Task With_namespace_sharing_Gantry_holds_every_right_it_grants_a_user()
    {
        var manifests = await RenderedManifests.LoadAsync("ha+ingress+monitoring+namespace-sharing");
        var rules = manifests.All<V1ClusterRole>().SelectMany(r => r.Rules).ToList();
        var granted = ShareRole.Rules([.. new Gantry.Server.Clusters.KubernetesKinds(JobKindRegistry.Default).All.Select(k => k.Resource)]);
        foreach (var rule in granted)
        {
            foreach (var (group, resource, verb) in from g in rule.ApiGroups from r in rule.Resources from v in rule.Verbs select (g, r, v))
            {
                // Kubernetes refuses a Role granting what its creator lacks (no escalate verb here).
                Assert.True(Allows(rules, group, resource, verb), $"Gantry grants {verb} {resource}.{group} to shared users without holding it");
            }
        }
        foreach (var (resource, verb) in new[] { ("namespaces", "create"), ("serviceaccounts", "create"), ("serviceaccounts/token", "create") })
        {
            Assert.True(Allows(rules, "", resource, verb), $"{verb} {resource}");
        }
        Assert.True(Allows(rules, "rbac.authorization.k8s.io", "roles", "create") && Allows(rules, "rbac.authorization.k8s.io", "rolebindings", "create"));
    }

    private static bool Allows(IEnumerable<V1PolicyRule> rules, string group, string resource, string verb) =>
        rules.Any(r => r.ApiGroups.Contains(group) && r.Resources.Contains(resource) && r.Verbs.Contains(verb));
}
