using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gantry.Sandbox;
using Gantry.Testing;
using k8s;
using k8s.Models;

namespace Gantry.Server.Tests.Clusters;

/// <summary>
/// A manifest's <c>metadata.namespace</c> is where its custom resource is created, or the job fails
/// with the API server's reason; it never lands in another namespace. The job shows where it is.
/// </summary>
public sealed class ManifestNamespaceTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(90);

    private static JsonObject Spark(string name, string? ns)
    {
        var manifest = TestJobs.SparkApplication(name);
        if (ns is not null)
        {
            manifest["metadata"]!["namespace"] = ns;
        }
        return new JsonObject { ["manifest"] = manifest };
    }

    private static async Task<(TestGateway Gateway, SandboxCluster Cluster)> StartAsync()
    {
        var gateway = await TestGateway.StartAsync();
        var cluster = await SandboxCluster.StartAsync(new SandboxClusterOptions { Name = "only", DefaultRunDuration = TimeSpan.FromSeconds(600) }, CancellationToken.None);
        using var admin = gateway.Client();
        (await admin.PostAsJsonAsync("api/v1/clusters/import", new { kubeconfig = cluster.Kubeconfig() })).EnsureSuccessStatusCode();
        await gateway.SetCordonAsync(true);
        return (gateway, cluster);
    }

    private static async Task<List<JsonObject>> ResourcesAsync(IKubernetes sandbox, string ns, string jobId)
    {
        var list = await sandbox.CustomObjects.ListNamespacedCustomObjectAsync<JsonObject>(
            "sparkoperator.k8s.io", "v1beta2", ns, "sparkapplications", labelSelector: $"gantry.io/job-id={jobId}");
        return list["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
    }

    [Fact]
    public async Task The_resource_is_created_in_the_manifests_namespace_and_the_job_shows_its_real_namespace_and_name()
    {
        var (gateway, cluster) = await StartAsync();
        await using var _ = gateway;
        await using var __ = cluster;
        using var admin = gateway.Client();
        using var sandbox = SandboxClustersFixture.AdminClient(cluster);

        var inKubeflow = (await admin.SubmitAsync(Spark("pi-in-kubeflow", "kubeflow"))).Id();
        var unnamed = (await admin.SubmitAsync(Spark("pi-anywhere", null))).Id();
        var job = await admin.WaitForStateAsync(inKubeflow, Long, "Submitted", "Running");
        var other = await admin.WaitForStateAsync(unnamed, Long, "Submitted", "Running");

        var created = Assert.Single(await ResourcesAsync(sandbox, "kubeflow", inKubeflow));
        Assert.Equal($"g-{inKubeflow}", created["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("pi-in-kubeflow", created["metadata"]!["annotations"]!["gantry.io/name"]!.GetValue<string>());
        Assert.Empty(await ResourcesAsync(sandbox, "default", inKubeflow));
        Assert.Single(await ResourcesAsync(sandbox, "default", unnamed));
        var resource = job["resource"]!;
        Assert.Equal("only", resource["cluster"]!.GetValue<string>());
        Assert.Equal("kubeflow", resource["namespace"]!.GetValue<string>());
        Assert.Equal($"g-{inKubeflow}", resource["name"]!.GetValue<string>());
        Assert.Equal("SparkApplication", resource["kind"]!.GetValue<string>());
        Assert.Equal("sparkoperator.k8s.io/v1beta2", resource["apiVersion"]!.GetValue<string>());
        Assert.Equal("default", other["resource"]!["namespace"]!.GetValue<string>());
        var listed = JsonNode.Parse(await admin.GetStringAsync("api/v1/jobs"))!["items"]!.AsArray().Single(j => j!["id"]!.GetValue<string>() == inKubeflow)!;
        Assert.Equal("kubeflow", listed["resource"]!["namespace"]!.GetValue<string>());
        await admin.PostAsync($"api/v1/jobs/{inKubeflow}/cancel", null);
        await admin.PostAsync($"api/v1/jobs/{unnamed}/cancel", null);
    }

    [Fact]
    public async Task A_namespace_the_cluster_does_not_have_fails_the_job_with_the_api_servers_reason()
    {
        var (gateway, cluster) = await StartAsync();
        await using var _ = gateway;
        await using var __ = cluster;
        using var admin = gateway.Client();
        using var sandbox = SandboxClustersFixture.AdminClient(cluster);

        var id = (await admin.SubmitAsync(Spark("pi-nowhere", "nowhere"))).Id();
        var job = await admin.WaitForStateAsync(id, Long, "Failed", "Submitted", "Running");

        Assert.Equal("Failed", job.State());
        var message = job["message"]!.GetValue<string>();
        Assert.Contains("cluster only may not create sparkapplications in namespace nowhere", message, StringComparison.Ordinal);
        Assert.Contains("namespaces \"nowhere\" not found", message, StringComparison.Ordinal);
        Assert.Null(job["resource"]);
        Assert.Empty(await ResourcesAsync(sandbox, "default", id));
    }

    [Fact]
    public async Task Credentials_that_may_not_create_in_the_namespace_fail_the_job_instead_of_placing_it_elsewhere()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var cluster = await SandboxCluster.StartAsync(new SandboxClusterOptions { Name = "limited" }, CancellationToken.None);
        using var sandbox = SandboxClustersFixture.AdminClient(cluster);
        var token = await TeamTokenAsync(sandbox, "team");
        using var admin = gateway.Client();
        (await admin.PostAsJsonAsync("api/v1/clusters", new
        {
            name = "limited", server = cluster.Server.GetLeftPart(UriPartial.Authority), token, certificateAuthorityData = cluster.CertificateAuthorityData, @namespace = "team",
        })).EnsureSuccessStatusCode();
        await gateway.SetCordonAsync(true);

        var allowed = (await admin.SubmitAsync(Spark("pi-team", "team"))).Id();
        var refused = (await admin.SubmitAsync(Spark("pi-kubeflow", "kubeflow"))).Id();
        var ran = await admin.WaitForStateAsync(allowed, Long, "Submitted", "Running", "Succeeded");
        var failed = await admin.WaitForStateAsync(refused, Long, "Failed", "Submitted", "Running");

        Assert.Equal("team", ran["resource"]!["namespace"]!.GetValue<string>());
        Assert.Equal("Failed", failed.State());
        var message = failed["message"]!.GetValue<string>();
        Assert.Contains("cluster limited may not create sparkapplications in namespace kubeflow", message, StringComparison.Ordinal);
        Assert.Contains("forbidden", message, StringComparison.Ordinal);
        Assert.Empty(await ResourcesAsync(sandbox, "kubeflow", refused));
        Assert.Empty(await ResourcesAsync(sandbox, "team", refused));
        await admin.PostAsync($"api/v1/jobs/{allowed}/cancel", null);
    }

    [Fact]
    public async Task A_shared_users_job_naming_another_namespace_is_refused_and_one_naming_theirs_runs_there()
    {
        var (gateway, cluster) = await StartAsync();
        await using var _ = gateway;
        await using var __ = cluster;
        using var admin = gateway.Client();
        using var ann = await gateway.UserClientAsync("ann");
        (await admin.PostAsJsonAsync("api/v1/clusters/only/shares", new { user = "ann", @namespace = "team-ann" })).EnsureSuccessStatusCode();
        using var sandbox = SandboxClustersFixture.AdminClient(cluster);

        var elsewhere = (await ann.SubmitAsync(Spark("pi-kubeflow", "kubeflow"))).Id();
        var theirs = (await ann.SubmitAsync(Spark("pi-team", "team-ann"))).Id();
        var refused = await ann.WaitForStateAsync(elsewhere, Long, "Failed", "Submitted", "Running");
        var ran = await ann.WaitForStateAsync(theirs, Long, "Submitted", "Running");

        Assert.Equal("Failed", refused.State());
        Assert.Contains("shared with ann in namespace team-ann", refused["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(await ResourcesAsync(sandbox, "kubeflow", elsewhere));
        Assert.Equal("team-ann", ran["resource"]!["namespace"]!.GetValue<string>());
        Assert.Single(await ResourcesAsync(sandbox, "team-ann", theirs));
        await ann.PostAsync($"api/v1/jobs/{theirs}/cancel", null);
    }

    [Theory]
    [InlineData("Kubeflow")]
    [InlineData("team_a")]
    [InlineData("-team")]
    public async Task A_namespace_no_api_server_takes_is_refused_at_submit_naming_the_field(string ns)
    {
        await using var gateway = await TestGateway.StartAsync();
        using var admin = gateway.Client();

        var response = await admin.PostAsJsonAsync("api/v1/jobs", Spark("pi", ns));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Contains(ns, problem["errors"]!["manifest.metadata.namespace"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    /// <summary>
    /// A token for a service account that reads everything (so the cluster is healthy and its
    /// jobs are watched) but may write only in <paramref name="ns"/>, as a namespace-scoped install.
    /// </summary>
    private static async Task<string> TeamTokenAsync(IKubernetes sandbox, string ns)
    {
        await sandbox.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        await sandbox.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "gantry" } }, ns);
        var subject = new Rbacv1Subject { Kind = "ServiceAccount", Name = "gantry", NamespaceProperty = ns };
        await sandbox.RbacAuthorizationV1.CreateClusterRoleAsync(new V1ClusterRole
        {
            Metadata = new V1ObjectMeta { Name = "read-all" },
            Rules = [new V1PolicyRule { ApiGroups = ["*"], Resources = ["*"], Verbs = ["get", "list", "watch"] }],
        });
        await sandbox.RbacAuthorizationV1.CreateClusterRoleBindingAsync(new V1ClusterRoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "gantry-read-all" },
            Subjects = [subject],
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "read-all" },
        });
        await sandbox.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "gantry-edit" },
            Subjects = [subject],
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "edit" },
        }, ns);
        return (await sandbox.CoreV1.CreateNamespacedServiceAccountTokenAsync(
            new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec { ExpirationSeconds = 3600 } }, "gantry", ns)).Status.Token;
    }
}
