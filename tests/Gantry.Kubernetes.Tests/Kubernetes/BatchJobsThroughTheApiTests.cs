using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gantry.Backends.Kubernetes;
using Gantry.Core.Manifests;
using Gantry.Kubernetes.Tests.Support;
using Gantry.Testing;
using k8s;

namespace Gantry.Kubernetes.Tests.Kubernetes;

/// <summary>batch/v1 Jobs posted to the real API run on a sandbox cluster's Job controller: success, backoffLimit, logs by pod, cancel.</summary>
public sealed class BatchJobsThroughTheApiTests : IAsyncLifetime
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(90);
    private SandboxGateway _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxGateway.StartAsync();

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private static string Trial(string duration, int parallelism = 1, string? fail = null, int backoffLimit = 6) => $$"""
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: trial
          annotations:
            sandbox.gantry.io/duration: {{duration}}
            {{(fail is null ? "" : $"sandbox.gantry.io/fail: \"{fail}\"")}}
        spec:
          parallelism: {{parallelism}}
          completions: {{parallelism}}
          backoffLimit: {{backoffLimit}}
          template:
            spec:
              restartPolicy: Never
              containers:
              - name: training-container
                image: ghcr.io/kubeflow/katib/pytorch-mnist-cpu:latest
                command: [python3, /opt/pytorch-mnist/mnist.py, --epochs=1]
                resources:
                  limits: {cpu: 500m, memory: 1Gi}
        """;

    private IKubernetes Admin() => new k8s.Kubernetes(KubernetesConfigurationFactory.Create(new Core.Clusters.ClusterConnection
    {
        Server = _sandbox.Cluster.Server.ToString(),
        Token = _sandbox.Cluster.AdminToken,
        CertificateAuthorityData = _sandbox.Cluster.CertificateAuthorityData,
    }));

    private static async Task<string> SubmitAsync(HttpClient client, string yaml)
    {
        var response = await client.PostAsJsonAsync("api/v1/jobs", new JsonObject { ["manifest"] = YamlJson.Parse(yaml), ["queue"] = "default" });
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
    }

    [Fact]
    public async Task A_Job_runs_on_the_sandbox_as_a_Job_with_the_demand_of_its_parallel_pods_and_succeeds_with_each_pods_log()
    {
        using var client = _sandbox.Gateway.Client();
        using var admin = Admin();

        var id = await SubmitAsync(client, Trial("2s", parallelism: 2));

        var submitted = JsonNode.Parse(await client.GetStringAsync($"api/v1/jobs/{id}"))!;
        Assert.Equal("Job", submitted["kind"]!.GetValue<string>());
        var running = await client.WaitForStateAsync(id, Long, "Running", "Succeeded", "Failed");
        Assert.Equal("sbx", running["cluster"]!.GetValue<string>());
        var job = await admin.BatchV1.ReadNamespacedJobAsync($"g-{id}", "default");
        Assert.Equal(id, job.Metadata.Labels["gantry.io/job-id"]);
        Assert.Equal("trial", job.Metadata.Annotations["gantry.io/name"]);
        Assert.Equal(id, job.Spec.Template.Metadata.Labels["gantry.io/job-id"]);
        Assert.Contains(job.Spec.Template.Spec.Containers[0].Env, e => e.Name == "GANTRY_JOB_ID" && e.Value == id);
        var pods = await admin.CoreV1.ListNamespacedPodAsync("default", labelSelector: $"job-name=g-{id}");
        Assert.Equal(2, pods.Items.Count);

        var done = await client.WaitForStateAsync(id, Long, "Succeeded", "Failed", "Cancelled");

        Assert.True(done["state"]!.GetValue<string>() == "Succeeded", done.ToJsonString());
        Assert.Equal("CompletionsReached: Reached expected number of succeeded pods", done["message"]!.GetValue<string>());
        var first = await client.GetStringAsync($"api/v1/jobs/{id}/logs");
        var second = await client.GetStringAsync($"api/v1/jobs/{id}/logs?replica=pod-1");
        Assert.Contains("done", first, StringComparison.Ordinal);
        Assert.Contains("done", second, StringComparison.Ordinal);
        var unknown = await client.GetAsync($"api/v1/jobs/{id}/logs?replica=pod-2");
        Assert.False(unknown.IsSuccessStatusCode);
    }

    [Fact]
    public async Task A_Katib_examples_trialSpec_posted_as_written_succeeds_on_the_sandbox()
    {
        using var client = _sandbox.Gateway.Client();
        var experiment = (JsonObject)YamlJson.Parse(File.ReadAllText(SharedFiles.Example("katib", "trial-template_trial-metadata-substitution.yaml")))!;
        var trial = (JsonObject)experiment["spec"]!["trialTemplate"]!["trialSpec"]!.DeepClone();

        var response = await client.PostAsJsonAsync("api/v1/jobs", new JsonObject { ["manifest"] = trial, ["queue"] = "default" });
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var id = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();

        var done = await client.WaitForStateAsync(id, Long, "Succeeded", "Failed", "Cancelled");
        Assert.True(done["state"]!.GetValue<string>() == "Succeeded", done.ToJsonString());
        Assert.Equal("sbx", done["cluster"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_failing_Job_fails_with_the_controllers_reason_and_what_its_pods_said()
    {
        using var client = _sandbox.Gateway.Client();

        var id = await SubmitAsync(client, Trial("300ms", fail: "loss is NaN", backoffLimit: 1));

        var done = await client.WaitForStateAsync(id, Long, "Succeeded", "Failed", "Cancelled");
        Assert.Equal("Failed", done["state"]!.GetValue<string>());
        var message = done["message"]!.GetValue<string>();
        Assert.StartsWith("BackoffLimitExceeded: Job has reached the specified backoff limit", message, StringComparison.Ordinal);
        Assert.Contains("loss is NaN", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_deletes_the_Job_and_its_pods()
    {
        using var client = _sandbox.Gateway.Client();
        using var admin = Admin();
        var id = await SubmitAsync(client, Trial("60s"));
        await client.WaitForStateAsync(id, Long, "Running");

        (await client.PostAsync($"api/v1/jobs/{id}/cancel", null)).EnsureSuccessStatusCode();

        Assert.Equal("Cancelled", (await client.WaitForStateAsync(id, Long, "Cancelled", "Failed", "Succeeded"))["state"]!.GetValue<string>());
        var jobs = await admin.BatchV1.ListNamespacedJobAsync("default", labelSelector: $"gantry.io/job-id={id}");
        Assert.Empty(jobs.Items);
        await ClusterLookups.EventuallyAsync(async () =>
            (await admin.CoreV1.ListNamespacedPodAsync("default", labelSelector: $"gantry.io/job-id={id}")).Items.Count == 0,
            "the Job's pods are collected");
    }

    [Fact]
    public async Task A_Job_the_API_server_would_refuse_is_answered_422_naming_the_field()
    {
        using var client = _sandbox.Gateway.Client();
        var manifest = (JsonObject)YamlJson.Parse(Trial("1s"))!;
        manifest["spec"]!["template"]!["spec"]!["restartPolicy"] = "Always";

        var response = await client.PostAsJsonAsync("api/v1/jobs", new JsonObject { ["manifest"] = manifest, ["queue"] = "default" });

        Assert.Equal(System.Net.HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Contains("not allowed in a Job", problem["errors"]!["manifest.spec.template.spec.restartPolicy"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
