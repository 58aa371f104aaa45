using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Gantry.Backends.Kubernetes;
using Gantry.Kubernetes.Tests.Support;
using Gantry.Testing;
using k8s;

namespace Gantry.Kubernetes.Tests.Kubernetes;

/// <summary>Jobs submitted through the real API over HTTP run on a sandbox cluster registered through POST /clusters.</summary>
public sealed class GatewayEndToEndTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(90);

    private static JsonObject Envelope(Core.Jobs.Job job) => new() { ["manifest"] = JsonNode.Parse(job.Manifest), ["queue"] = "default" };

    private static IKubernetes Admin(SandboxGateway sandbox) => new k8s.Kubernetes(KubernetesConfigurationFactory.Create(new Core.Clusters.ClusterConnection
    {
        Server = sandbox.Cluster.Server.ToString(),
        Token = sandbox.Cluster.AdminToken,
        CertificateAuthorityData = sandbox.Cluster.CertificateAuthorityData,
    }));

    [Fact]
    public async Task Each_kind_submitted_through_the_api_succeeds_on_the_sandbox_and_a_failing_one_fails_with_the_operators_message()
    {
        await using var sandbox = await SandboxGateway.StartAsync();
        using var client = sandbox.Gateway.Client();

        var ids = new List<string>();
        foreach (var job in new[] { KubeJobs.Spark(), KubeJobs.PyTorch(), KubeJobs.Jax() })
        {
            ids.Add((await client.SubmitAsync(Envelope(job)))["id"]!.GetValue<string>());
        }
        var failing = (await client.SubmitAsync(Envelope(KubeJobs.Jax(fail: "loss is NaN"))))["id"]!.GetValue<string>();

        foreach (var id in ids)
        {
            var done = await client.WaitForStateAsync(id, Long, "Succeeded", "Failed", "Cancelled");
            Assert.Equal("Succeeded", done["state"]!.GetValue<string>());
            Assert.Equal("sbx", done["cluster"]!.GetValue<string>());
        }
        var failed = await client.WaitForStateAsync(failing, Long, "Succeeded", "Failed");
        Assert.Equal("Failed", failed["state"]!.GetValue<string>());
        Assert.Contains("loss is NaN", failed["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var events = await client.GetStringAsync($"api/v1/jobs/{ids[0]}/events");
        Assert.Contains("\"Submitted\"", events, StringComparison.Ordinal);
        Assert.Contains("\"Running\"", events, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_manifest_the_clusters_crd_schema_rejects_is_answered_422_naming_the_field_and_nothing_is_created()
    {
        await using var sandbox = await SandboxGateway.StartAsync();
        using var client = sandbox.Gateway.Client();
        var job = KubeJobs.Edited(KubeJobs.Spark(), m => m["spec"]!["type"] = "Cobol");

        var response = await client.PostAsJsonAsync("api/v1/jobs", Envelope(job));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Contains("Cobol", problem["errors"]!["manifest.spec.type"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        var list = JsonNode.Parse(await client.GetStringAsync("api/v1/jobs"))!;
        Assert.Empty(list["items"]!.AsArray());
    }

    [Fact]
    public async Task Cancel_through_the_api_removes_the_resource()
    {
        await using var sandbox = await SandboxGateway.StartAsync();
        using var client = sandbox.Gateway.Client();
        using var admin = Admin(sandbox);
        var job = KubeJobs.PyTorch(duration: "60s");
        var id = (await client.SubmitAsync(Envelope(job)))["id"]!.GetValue<string>();
        await client.WaitForStateAsync(id, Long, "Running");

        (await client.PostAsync($"api/v1/jobs/{id}/cancel", null)).EnsureSuccessStatusCode();

        await client.WaitForStateAsync(id, Long, "Cancelled");
        Assert.Equal(0, (System.Text.Json.JsonElement)await admin.CustomObjects.ListCustomObjectForAllNamespacesAsync(
            "kubeflow.org", "v1", "pytorchjobs", labelSelector: $"{GantryLabels.JobId}={id}") is var list ? list.GetProperty("items").GetArrayLength() : -1);
        // The sandbox deletes at once and collects the pods on its next step (no foreground deletion).
        await ClusterLookups.EventuallyAsync(async () => (await admin.CoreV1.ListNamespacedPodAsync(
            "default", labelSelector: $"training.kubeflow.org/job-name={GantryLabels.ResourceName(id)}")).Items.Count == 0, "the job's pods are gone");
    }

    [Fact]
    public async Task Logs_of_a_cancelled_job_whose_pods_are_gone_say_so_instead_of_answering_nothing()
    {
        await using var sandbox = await SandboxGateway.StartAsync();
        using var client = sandbox.Gateway.Client();
        using var admin = Admin(sandbox);
        var id = (await client.SubmitAsync(Envelope(KubeJobs.PyTorch(duration: "60s"))))["id"]!.GetValue<string>();
        await client.WaitForStateAsync(id, Long, "Running");
        (await client.PostAsync($"api/v1/jobs/{id}/cancel", null)).EnsureSuccessStatusCode();
        await client.WaitForStateAsync(id, Long, "Cancelled");
        await ClusterLookups.EventuallyAsync(async () => (await admin.CoreV1.ListNamespacedPodAsync(
            "default", labelSelector: $"training.kubeflow.org/job-name={GantryLabels.ResourceName(id)}")).Items.Count == 0, "the job's pods are gone");

        var response = await client.GetAsync($"api/v1/jobs/{id}/logs");

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        var detail = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>();
        Assert.Contains("pods of job " + id + " are gone", detail, StringComparison.Ordinal);
        Assert.Contains("cancelled", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_through_the_api_follow_the_driver()
    {
        await using var sandbox = await SandboxGateway.StartAsync();
        using var client = sandbox.Gateway.Client();
        var id = (await client.SubmitAsync(Envelope(KubeJobs.Spark(duration: "2s"))))["id"]!.GetValue<string>();

        var log = await client.GetStringAsync($"api/v1/jobs/{id}/logs?follow=true");

        Assert.Contains("SparkContext", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gateway_restarted_mid_run_picks_the_job_up_without_a_second_copy()
    {
        await using var sandbox = await SandboxGateway.StartAsync();
        using var admin = Admin(sandbox);
        string id;
        using (var client = sandbox.Gateway.Client())
        {
            // Long enough that a slow machine still finds it Running before the restart.
            id = (await client.SubmitAsync(Envelope(KubeJobs.Spark(duration: "10s"))))["id"]!.GetValue<string>();
            await client.WaitForStateAsync(id, Long, "Running");
        }

        await sandbox.Gateway.RestartAsync();

        using (var client = sandbox.Gateway.Client())
        {
            var done = await client.WaitForStateAsync(id, Long, "Succeeded", "Failed");
            Assert.Equal("Succeeded", done["state"]!.GetValue<string>());
        }
        var copies = (System.Text.Json.JsonElement)await admin.CustomObjects.ListCustomObjectForAllNamespacesAsync(
            "sparkoperator.k8s.io", "v1beta2", "sparkapplications", labelSelector: $"{GantryLabels.JobId}={id}");
        Assert.Equal(1, copies.GetProperty("items").GetArrayLength());
    }
}
