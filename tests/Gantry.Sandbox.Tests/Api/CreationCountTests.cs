using System.Net;
using System.Text.Json.Nodes;
using Gantry.Sandbox.Tests.Support;
using k8s;
using k8s.Models;
using static Gantry.Sandbox.Tests.Support.Manifests;

namespace Gantry.Sandbox.Tests.Api;

/// <summary>
/// The creation counts (<c>GET /sandbox/v1/creations</c>): every custom resource ever created per
/// <c>gantry.io/job-id</c>, deleted ones included, so tests can prove a job got exactly one copy.
/// </summary>
[Collection(SandboxCollection.Name)]
public class CreationCountTests(SandboxFixture sandbox)
{
    private readonly IKubernetes _client = sandbox.Client;

    private static JsonObject Labelled(string name, string jobId) =>
        Spark(name, duration: "1h", labels: new JsonObject { ["gantry.io/job-id"] = jobId });

    private static async Task<JsonObject> GetAsync(HttpClient http, string path)
    {
        var response = await http.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    [Fact]
    public async Task A_custom_resource_deleted_and_created_again_counts_twice_and_its_job_alone_is_answered_when_asked()
    {
        var ns = await sandbox.NamespaceAsync("count");
        var job = "j" + Guid.NewGuid().ToString("N")[..10];
        var other = "j" + Guid.NewGuid().ToString("N")[..10];
        await _client.CustomObjects.CreateNamespacedCustomObjectAsync(Labelled("first", job), SparkGroup, SparkVersion, ns, SparkPlural);
        await _client.CustomObjects.DeleteNamespacedCustomObjectAsync(SparkGroup, SparkVersion, ns, SparkPlural, "first");
        await _client.CustomObjects.CreateNamespacedCustomObjectAsync(Labelled("first", job), SparkGroup, SparkVersion, ns, SparkPlural);
        await _client.CustomObjects.CreateNamespacedCustomObjectAsync(Labelled("second", other), SparkGroup, SparkVersion, ns, SparkPlural);
        using var http = SandboxHttp.Client(sandbox.Cluster);

        var answer = await GetAsync(http, $"/sandbox/v1/creations?jobId={job}");
        var all = await GetAsync(http, "/sandbox/v1/creations");

        Assert.Equal("CreationCounts", (string?)answer["kind"]);
        Assert.Equal("test", (string?)answer["cluster"]);
        var item = Assert.Single(answer["items"]!.AsArray())!;
        Assert.Equal(job, (string?)item["jobId"]);
        Assert.Equal(2, (int)item["count"]!);
        Assert.Equal([$"SparkApplication {ns}/first", $"SparkApplication {ns}/first"], item["resources"]!.AsArray().Select(r => (string)r!));
        Assert.Contains(all["items"]!.AsArray(), i => (string?)i!["jobId"] == other && (int)i["count"]! == 1);
        Assert.Equal(2, sandbox.Cluster.CreationsOf(job));
        Assert.Equal(0, sandbox.Cluster.CreationsOf("never-submitted"));
    }

    [Fact]
    public async Task Dry_runs_refusals_and_built_in_objects_are_not_counted()
    {
        var ns = await sandbox.NamespaceAsync("nocount");
        var job = "j" + Guid.NewGuid().ToString("N")[..10];
        await _client.CustomObjects.CreateNamespacedCustomObjectAsync(Labelled("dry", job), SparkGroup, SparkVersion, ns, SparkPlural, dryRun: "All");
        await _client.CustomObjects.CreateNamespacedCustomObjectAsync(Labelled("once", job), SparkGroup, SparkVersion, ns, SparkPlural);
        // A second create of the same name is 409 AlreadyExists: nothing was created.
        await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() =>
            _client.CustomObjects.CreateNamespacedCustomObjectAsync(Labelled("once", job), SparkGroup, SparkVersion, ns, SparkPlural));
        await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "cm", Labels = new Dictionary<string, string> { ["gantry.io/job-id"] = job } } }, ns);

        Assert.Equal(1, sandbox.Cluster.CreationsOf(job));
    }

    [Fact]
    public async Task Only_cluster_admins_may_read_the_counts()
    {
        var ns = await sandbox.NamespaceAsync("nonadmin");
        await _client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new() { Name = "bob" } }, ns);
        var token = await _client.CoreV1.CreateNamespacedServiceAccountTokenAsync(new Authenticationv1TokenRequest { Spec = new() { ExpirationSeconds = 3600 } }, "bob", ns);
        using var bob = SandboxHttp.Client(sandbox.Cluster, token.Status.Token);
        using var stranger = SandboxHttp.Client(sandbox.Cluster, "not-a-token");
        using var admin = SandboxHttp.Client(sandbox.Cluster);

        var forbidden = await bob.GetAsync("/sandbox/v1/creations");
        var unauthorized = await stranger.GetAsync("/sandbox/v1/creations");
        var post = await admin.PostAsync("/sandbox/v1/creations", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Contains("only cluster admins", await forbidden.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
    }
}
