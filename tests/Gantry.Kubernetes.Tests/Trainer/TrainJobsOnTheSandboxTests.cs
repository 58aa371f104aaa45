using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Backends.Kubernetes;
using Gantry.Core.Manifests;
using Gantry.Kubernetes.Tests.Support;
using Gantry.Sandbox;
using Gantry.Testing;
using k8s;

namespace Gantry.Kubernetes.Tests.Trainer;

/// <summary>
/// Upstream's TrainJobs (shared/examples/trainer), posted as written, on two sandbox clusters
/// validating against the v2.3.0 CRDs: east has torch, deepspeed, jax and torchtune runtimes,
/// west torch, mlx and xgboost. Routing follows the runtime; the webhook's refusal and JobSet's
/// failure message come through.
/// </summary>
public sealed class TrainJobsOnTheSandboxTests(TrainJobsOnTheSandboxTests.Fleet fleet) : IClassFixture<TrainJobsOnTheSandboxTests.Fleet>
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    public static TheoryData<string> RunnableExamples() =>
    [
        "yaml_01-multi-node.yaml", "yaml_02-runtime-patches.yaml", "yaml_04-volcano-integration.trainjob.yaml",
        "docs_trainjob-lifecycle.active-deadline.yaml", "docs_migration.pytorch-simple.yaml",
    ];

    private static async Task<HttpResponseMessage> PostYamlAsync(HttpClient client, string yaml)
    {
        using var body = new StringContent(yaml, Encoding.UTF8, "application/yaml");
        return await client.PostAsync("api/v1/jobs", body);
    }

    private static async Task<string> SubmitAsync(HttpClient client, string yaml)
    {
        var response = await PostYamlAsync(client, yaml);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
    }

    [Theory]
    [MemberData(nameof(RunnableExamples))]
    public async Task The_upstream_TrainJob_is_accepted_as_written_and_succeeds(string file)
    {
        using var client = fleet.Gateway.Client();
        var id = await SubmitAsync(client, File.ReadAllText(SharedFiles.Example("trainer", file)));

        var done = await client.WaitForStateAsync(id, Long, "Succeeded", "Failed", "Cancelled");

        Assert.True(done["state"]!.GetValue<string>() == "Succeeded", $"{file}: {done["state"]} {done["message"]}");
        Assert.Equal("AllJobsCompleted: jobset completed successfully", done["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_kueue_example_is_accepted_as_written_and_held_suspended_as_upstream_holds_it_without_Kueue()
    {
        using var client = fleet.Gateway.Client();
        var id = await SubmitAsync(client, File.ReadAllText(SharedFiles.Example("trainer", "yaml_03-kueue-integration.yaml")));

        JsonNode? held = null;
        await ClusterLookups.EventuallyAsync(async () =>
        {
            held = JsonNode.Parse(await client.GetStringAsync($"api/v1/jobs/{id}"));
            var events = await client.GetStringAsync($"api/v1/jobs/{id}/events");
            return events.Contains("Suspended: Suspended: TrainJob is suspended", StringComparison.Ordinal);
        }, "the TrainJob shows it is suspended", Long);

        Assert.Equal("Submitted", held!["state"]!.GetValue<string>());
        await client.PostAsync($"api/v1/jobs/{id}/cancel", null);
        Assert.Equal("Cancelled", (await client.WaitForStateAsync(id, Long, "Cancelled"))["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_multi_step_example_is_refused_with_the_webhooks_reason_by_Gantry_and_by_the_cluster()
    {
        using var client = fleet.Gateway.Client();
        var yaml = File.ReadAllText(SharedFiles.Example("trainer", "yaml_05-multi-step.trainjob.yaml"));

        var response = await PostYamlAsync(client, yaml);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var message = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!["manifest.spec.initializer.dataset"]![0]!.GetValue<string>();
        Assert.Contains("must have a volumeMount named initializer", message);
        using var east = fleet.Admin(0);
        var trainJob = (JsonObject)YamlJson.Parse(yaml)!;
        var refused = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() =>
            east.CustomObjects.CreateNamespacedCustomObjectAsync(trainJob, "trainer.kubeflow.org", "v1alpha1", "default", "trainjobs"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.Response.StatusCode);
        Assert.Contains("validate.trainjob.trainer.kubeflow.org", refused.Response.Content);
        Assert.Contains("denied the request", refused.Response.Content);
        Assert.Contains("must have a volumeMount named initializer", refused.Response.Content);
    }

    [Fact]
    public async Task A_TrainJob_whose_runtime_only_east_has_lands_there_with_pods_named_and_ranked_as_JobSet_does()
    {
        using var client = fleet.Gateway.Client();
        var id = await SubmitAsync(client, """
            apiVersion: trainer.kubeflow.org/v1alpha1
            kind: TrainJob
            metadata:
              name: jax-mnist
              annotations: {sandbox.gantry.io/duration: 3s}
            spec:
              runtimeRef: {name: jax-distributed}
              trainer:
                numNodes: 2
                command: [python3, train.py]
                resourcesPerNode: {requests: {cpu: 500m, memory: 512Mi}}
            """);

        var running = await client.WaitForStateAsync(id, Long, "Running", "Succeeded", "Failed");
        Assert.Equal("sandbox-east", running["cluster"]!.GetValue<string>());
        using var east = fleet.Admin(0);
        var name = $"g-{id}";
        var pods = await east.CoreV1.ListNamespacedPodAsync("default", labelSelector: $"jobset.sigs.k8s.io/jobset-name={name}");
        var second = Assert.Single(pods.Items, p => p.Metadata.Labels["batch.kubernetes.io/job-completion-index"] == "1");
        Assert.Matches($"^{name}-node-0-1-[0-9a-f]{{5}}$", second.Metadata.Name);
        Assert.Equal($"{name}-node-0-1", second.Spec.Hostname);
        var env = second.Spec.Containers.Single(c => c.Name == "node").Env.ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal("1", env["JAX_PROCESS_ID"]);
        Assert.Equal("2", env["JAX_NUM_PROCESSES"]);
        Assert.Equal($"{name}-node-0-0.{name}:29500", env["JAX_COORDINATOR_ADDRESS"]);
        var done = await client.WaitForStateAsync(id, Long, "Succeeded", "Failed");
        Assert.Equal("Succeeded", done["state"]!.GetValue<string>());
        var log = await client.GetStringAsync($"api/v1/jobs/{id}/logs?replica=node-0-1");
        Assert.NotNull(log);
    }

    [Fact]
    public async Task A_failing_node_ends_the_TrainJob_Failed_with_JobSets_first_failed_job()
    {
        using var client = fleet.Gateway.Client();
        var id = await SubmitAsync(client, """
            apiVersion: trainer.kubeflow.org/v1alpha1
            kind: TrainJob
            metadata:
              name: breaks
              annotations: {sandbox.gantry.io/fail: "loss is NaN"}
            spec:
              runtimeRef: {name: torch-distributed}
              trainer: {numNodes: 2, resourcesPerNode: {requests: {cpu: 500m, memory: 512Mi}}}
            """);

        var done = await client.WaitForStateAsync(id, Long, "Succeeded", "Failed");

        Assert.Equal("Failed", done["state"]!.GetValue<string>());
        Assert.StartsWith($"FailedJobs: jobset failed due to one or more job failures (first failed job: g-{id}-node-0)", done["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Each_cluster_lists_its_own_runtimes_and_its_Trainer_API()
    {
        using var client = fleet.Gateway.Client();

        var east = JsonNode.Parse(await client.GetStringAsync("api/v1/clusters/sandbox-east/runtimes"))!;
        var west = JsonNode.Parse(await client.GetStringAsync("api/v1/clusters/sandbox-west/runtimes"))!;

        Assert.Equal("v2.2+", east["trainerApi"]!.GetValue<string>());
        var eastNames = east["items"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()).ToList();
        var westNames = west["items"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("jax-distributed", eastNames);
        Assert.DoesNotContain("jax-distributed", westNames);
        Assert.Contains("xgboost-distributed", westNames);
        Assert.Contains("torch-with-dataset-init", eastNames);
    }

    /// <summary>Two sandbox clusters with the real v2.3.0 CRDs and the runtimes the examples need beyond the shipped ones.</summary>
    public sealed class Fleet : IAsyncLifetime
    {
        private IReadOnlyList<SandboxCluster> _clusters = [];

        public TestGateway Gateway { get; private set; } = null!;

        public IKubernetes Admin(int index) => new k8s.Kubernetes(KubernetesConfigurationFactory.Create(new Core.Clusters.ClusterConnection
        {
            Server = _clusters[index].Server.ToString(),
            Token = _clusters[index].AdminToken,
            CertificateAuthorityData = _clusters[index].CertificateAuthorityData,
        }));

        public async Task InitializeAsync()
        {
            _clusters = await SandboxFleet.StartAsync(2, SharedFiles.Crds, TimeSpan.FromMilliseconds(300), null, CancellationToken.None);
            for (var i = 0; i < _clusters.Count; i++)
            {
                using var admin = Admin(i);
                await admin.CoreV1.CreateNamespaceAsync(new k8s.Models.V1Namespace { Metadata = new() { Name = "my-namespace" } });
                foreach (var file in new[] { "yaml_04-volcano-integration.clustertrainingruntime.yaml", "yaml_05-multi-step.trainingruntime.yaml" })
                {
                    var runtime = (JsonObject)YamlJson.Parse(File.ReadAllText(SharedFiles.Example("trainer", file)))!;
                    var body = JsonSerializer.Deserialize<JsonElement>(runtime.ToJsonString());
                    if (runtime["kind"]!.GetValue<string>() == "ClusterTrainingRuntime")
                    {
                        await admin.CustomObjects.CreateClusterCustomObjectAsync(body, "trainer.kubeflow.org", "v1alpha1", "clustertrainingruntimes");
                    }
                    else
                    {
                        await admin.CustomObjects.CreateNamespacedCustomObjectAsync(body, "trainer.kubeflow.org", "v1alpha1", "default", "trainingruntimes");
                    }
                }
            }
            Gateway = await TestGateway.StartAsync(new Dictionary<string, string?>
            {
                ["Gantry:Kubernetes:RefreshMilliseconds"] = "200",
                ["Gantry:Kubernetes:WatchTimeoutSeconds"] = "10",
            });
            using var client = Gateway.Client();
            foreach (var cluster in _clusters)
            {
                await client.RegisterAsync(cluster);
            }
            await Gateway.SetCordonAsync(true);
            await ClusterLookups.EventuallyAsync(async () =>
            {
                foreach (var cluster in _clusters)
                {
                    var runtimes = JsonNode.Parse(await client.GetStringAsync($"api/v1/clusters/{cluster.Name}/runtimes"))!["items"]!.AsArray();
                    if (!runtimes.Any(r => r!["name"]!.GetValue<string>() == "torch-with-dataset-init"))
                    {
                        return false;
                    }
                }
                return true;
            }, "the gateway sees every sandbox cluster's runtimes");
        }

        public async Task DisposeAsync()
        {
            await Gateway.DisposeAsync();
            foreach (var cluster in _clusters)
            {
                await cluster.DisposeAsync();
            }
        }
    }
}
