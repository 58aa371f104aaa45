using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gantry.Sandbox;
using Gantry.Testing;
using k8s;

namespace Gantry.Server.Tests.Clusters;

/// <summary>A user the cluster is shared with gets their jobs in their namespace; others get the cluster's.</summary>
public sealed class SharedNamespaceDispatchTests
{
    [Fact]
    public async Task A_shared_users_job_is_created_in_their_namespace_and_an_admins_in_the_clusters()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var cluster = await SandboxCluster.StartAsync(new SandboxClusterOptions { Name = "only", DefaultRunDuration = TimeSpan.FromSeconds(600) }, CancellationToken.None);
        using var admin = gateway.Client();
        (await admin.PostAsJsonAsync("api/v1/clusters/import", new { kubeconfig = cluster.Kubeconfig() })).EnsureSuccessStatusCode();
        using var ann = await gateway.UserClientAsync("ann");
        var shared = await admin.PostAsJsonAsync("api/v1/clusters/only/shares", new { user = "ann", @namespace = "team-ann" });
        Assert.Equal(HttpStatusCode.OK, shared.StatusCode);

        var annJob = await ann.SubmitAsync(new JsonObject { ["manifest"] = TestJobs.SparkApplication("ann-pi") });
        var adminJob = await admin.SubmitAsync(new JsonObject { ["manifest"] = TestJobs.SparkApplication("admin-pi") });
        await ann.WaitForStateAsync(annJob.Id(), TimeSpan.FromSeconds(60), "Submitted", "Running");
        await admin.WaitForStateAsync(adminJob.Id(), TimeSpan.FromSeconds(60), "Submitted", "Running");

        using var sandbox = SandboxClustersFixture.AdminClient(cluster);
        var inTeam = await sandbox.CustomObjects.ListNamespacedCustomObjectAsync<JsonObject>("sparkoperator.k8s.io", "v1beta2", "team-ann", "sparkapplications");
        var inDefault = await sandbox.CustomObjects.ListNamespacedCustomObjectAsync<JsonObject>("sparkoperator.k8s.io", "v1beta2", "default", "sparkapplications");
        Assert.Equal([annJob.Id()], JobIds(inTeam));
        Assert.Equal([adminJob.Id()], JobIds(inDefault));
        await ann.PostAsync($"api/v1/jobs/{annJob.Id()}/cancel", null);
        await admin.PostAsync($"api/v1/jobs/{adminJob.Id()}/cancel", null);
    }

    private static List<string> JobIds(JsonObject list) =>
        list["items"]!.AsArray().Select(i => i!["metadata"]!["labels"]!["gantry.io/job-id"]!.GetValue<string>()).ToList();

}
