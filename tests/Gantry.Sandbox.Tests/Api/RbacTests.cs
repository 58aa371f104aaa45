using System.Net;
using System.Text.Json.Nodes;
using Gantry.Sandbox.Tests.Support;
using k8s;
using k8s.Autorest;
using k8s.Models;
using static Gantry.Sandbox.Tests.Support.Manifests;

namespace Gantry.Sandbox.Tests.Api;

/// <summary>Service accounts, TokenRequest and RBAC: a shared namespace as Gantry's cluster sharing sets it up.</summary>
[Collection(SandboxCollection.Name)]
public class RbacTests(SandboxFixture sandbox)
{
    private readonly IKubernetes _admin = sandbox.Client;

    /// <summary>Namespace, service account, Role and RoleBinding (kubernetes-api reference §16), then a token for the account.</summary>
    private async Task<(string Namespace, IKubernetes Client)> ShareAsync()
    {
        var ns = await sandbox.NamespaceAsync("team");
        await _admin.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new() { Name = "alice" } }, ns);
        await _admin.RbacAuthorizationV1.CreateNamespacedRoleAsync(new V1Role
        {
            Metadata = new() { Name = "gantry-job-user" },
            Rules =
            [
                new V1PolicyRule { ApiGroups = ["sparkoperator.k8s.io"], Resources = ["sparkapplications"], Verbs = ["get", "list", "watch", "create", "delete"] },
                new V1PolicyRule { ApiGroups = [""], Resources = ["pods/log"], Verbs = ["get"] },
            ],
        }, ns);
        await _admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
        {
            Metadata = new() { Name = "alice-gantry-job-user" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = "gantry-job-user" },
            Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = "alice", NamespaceProperty = ns }],
        }, ns);
        var token = await _admin.CoreV1.CreateNamespacedServiceAccountTokenAsync(new Authenticationv1TokenRequest { Spec = new() { ExpirationSeconds = 3600 } }, "alice", ns);
        return (ns, SandboxFixture.ClientFor(sandbox.Cluster, token.Status.Token));
    }

    [Fact]
    public async Task A_service_account_token_may_do_what_its_role_allows_in_its_namespace()
    {
        var (ns, alice) = await ShareAsync();

        await alice.CustomObjects.CreateNamespacedCustomObjectAsync(Spark("mine", duration: "1h"), SparkGroup, SparkVersion, ns, SparkPlural);
        var list = AsNode(await alice.CustomObjects.ListNamespacedCustomObjectAsync(SparkGroup, SparkVersion, ns, SparkPlural));

        Assert.Equal("mine", Assert.Single(list["items"]!.AsArray()).Text("metadata.name"));
    }

    [Fact]
    public async Task The_same_token_is_forbidden_elsewhere_with_the_api_servers_403_Status()
    {
        var (_, alice) = await ShareAsync();
        var other = await sandbox.NamespaceAsync("other");

        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            alice.CustomObjects.CreateNamespacedCustomObjectAsync(Spark("theirs"), SparkGroup, SparkVersion, other, SparkPlural));
        var status = JsonNode.Parse(error.Response.Content)!;
        var nodes = await Assert.ThrowsAsync<HttpOperationException>(() => alice.CoreV1.ListNodeAsync());

        Assert.Equal(HttpStatusCode.Forbidden, error.Response.StatusCode);
        Assert.Equal("Forbidden", status.Text("reason"));
        Assert.StartsWith("sparkapplications.sparkoperator.k8s.io is forbidden: User \"system:serviceaccount:team-", status.Text("message"), StringComparison.Ordinal);
        Assert.EndsWith($"cannot create resource \"sparkapplications\" in API group \"sparkoperator.k8s.io\" in the namespace \"{other}\"", status.Text("message"), StringComparison.Ordinal);
        Assert.Contains("at the cluster scope", nodes.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_the_sandbox_did_not_issue_is_401()
    {
        using var stranger = SandboxFixture.ClientFor(sandbox.Cluster, "not-a-token");

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => stranger.CoreV1.ListNamespaceAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, error.Response.StatusCode);
        Assert.Equal("Unauthorized", JsonNode.Parse(error.Response.Content).Text("reason"));
    }

    [Theory]
    [InlineData("create", "sparkoperator.k8s.io", "sparkapplications", null, true, true)]
    [InlineData("delete", "sparkoperator.k8s.io", "sparkapplications", null, true, true)]
    [InlineData("update", "sparkoperator.k8s.io", "sparkapplications", null, true, false)]
    [InlineData("get", "", "pods", "log", true, true)]
    [InlineData("get", "", "pods", null, true, false)]
    [InlineData("create", "sparkoperator.k8s.io", "sparkapplications", null, false, false)]
    [InlineData("list", "", "nodes", null, false, false)]
    public async Task SelfSubjectAccessReview_answers_from_the_same_RBAC(string verb, string group, string resource, string? subresource, bool ownNamespace, bool expected)
    {
        var (ns, alice) = await ShareAsync();
        var review = new V1SelfSubjectAccessReview
        {
            Spec = new V1SelfSubjectAccessReviewSpec
            {
                ResourceAttributes = new V1ResourceAttributes
                {
                    Verb = verb, Group = group, Resource = resource, Subresource = subresource,
                    NamespaceProperty = resource == "nodes" ? null : ownNamespace ? ns : "default",
                },
            },
        };

        var answer = await alice.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(review);

        Assert.Equal(expected, answer.Status.Allowed);
        if (expected)
        {
            Assert.Contains("RoleBinding \"alice-gantry-job-user", answer.Status.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_admin_token_is_allowed_everything_and_a_token_request_for_a_missing_account_is_404()
    {
        var answer = await _admin.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(new V1SelfSubjectAccessReview
        {
            Spec = new() { ResourceAttributes = new V1ResourceAttributes { Verb = "delete", Resource = "nodes" } },
        });
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() =>
            _admin.CoreV1.CreateNamespacedServiceAccountTokenAsync(new Authenticationv1TokenRequest { Spec = new() }, "nobody", "default"));

        Assert.True(answer.Status.Allowed);
        Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);
    }
}
