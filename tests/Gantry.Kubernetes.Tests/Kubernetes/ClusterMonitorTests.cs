using System.Text.Json.Nodes;
using Gantry.Core.Clusters;
using Gantry.Core.Jobs;
using Gantry.Kubernetes.Tests.Support;
using Gantry.Sandbox;
using Gantry.Testing;

namespace Gantry.Kubernetes.Tests.Kubernetes;

/// <summary>Capacity per node, installed kinds, health with its failure threshold, and schema checks, as the backend reports them.</summary>
public sealed class ClusterMonitorTests
{
    private static readonly Cluster Sbx = new() { Name = "sbx", Type = ClusterTypes.Kubernetes };

    private static async Task<ClusterStatus> StatusWhenAsync(BackendHarness h, Func<ClusterStatus, bool> condition, string what)
    {
        ClusterStatus status = h.Backend.Status(Sbx);
        await ClusterLookups.EventuallyAsync(() => Task.FromResult(condition(status = h.Backend.Status(Sbx))), what + $" (last: {status})");
        return status;
    }

    [Fact]
    public async Task Capacity_is_per_node_allocatable_with_gpus_and_the_kinds_whose_crds_are_installed()
    {
        await using var h = await BackendHarness.StartAsync();

        var status = await StatusWhenAsync(h, s => s.Healthy, "the cluster is observed");

        Assert.Equal(new Core.Resources.Resources(16_000, 64L << 30, 2), status.Capacity);
        Assert.Equal(["node-1", "node-2"], status.Nodes.Select(n => n.Name));
        Assert.Equal(2, status.Nodes[1].Allocatable.Gpu);
        Assert.Equal(["JAXJob", "Job", "PyTorchJob", "SparkApplication", "TrainJob"], status.Kinds.Order(StringComparer.Ordinal));
        Assert.Null(status.UnhealthySince);
    }

    [Fact]
    public async Task Free_capacity_falls_while_pods_run_and_recovers_when_they_end()
    {
        await using var h = await BackendHarness.StartAsync();
        var idle = (await StatusWhenAsync(h, s => s.Healthy, "the cluster is observed")).Free;
        var job = KubeJobs.PyTorch(duration: "2s");

        await h.DispatchAsync(job);

        // Master and worker ask 500m and 512Mi each (plus the worker's init container, which is smaller).
        var busy = await StatusWhenAsync(h, s => s.Free.CpuMillis <= idle.CpuMillis - 1000, "both replicas' requests are taken");
        Assert.True(busy.Free.MemoryBytes <= idle.MemoryBytes - (1L << 30), $"memory taken: {idle.MemoryBytes - busy.Free.MemoryBytes}");
        await h.Sink.WaitForAsync(job.Id, JobState.Succeeded);
        await StatusWhenAsync(h, s => s.Free == idle, "the capacity comes back once the pods ended");
    }

    [Fact]
    public async Task A_cordoned_node_does_not_count()
    {
        await using var h = await BackendHarness.StartAsync();
        await StatusWhenAsync(h, s => s.Healthy, "the cluster is observed");

        var patch = new k8s.Models.V1Patch("""{"spec":{"unschedulable":true}}""", k8s.Models.V1Patch.PatchType.MergePatch);
        await k8s.CoreV1OperationsExtensions.PatchNodeAsync(h.Admin.CoreV1, patch, "node-2");

        var status = await StatusWhenAsync(h, s => s.Nodes.Count == 1, "node-2 is left out");
        Assert.Equal("node-1", status.Nodes[0].Name);
        Assert.Equal(0, status.Capacity.Gpu);
    }

    public static TheoryData<string> Faults => ["unresponsive", "500", "429"];

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task An_api_server_that_fails_is_unhealthy_after_the_threshold_and_healthy_again_when_it_answers(string fault)
    {
        await using var h = await BackendHarness.StartAsync();
        await StatusWhenAsync(h, s => s.Healthy, "the cluster is observed");
        var before = DateTimeOffset.UtcNow;

        if (fault == "unresponsive")
        {
            h.Cluster.Faults.Unresponsive = true;
        }
        else
        {
            h.Cluster.Faults.FailWith(int.Parse(fault, System.Globalization.CultureInfo.InvariantCulture));
        }

        var unhealthy = await StatusWhenAsync(h, s => !s.Healthy, "the cluster is marked unhealthy");
        Assert.NotNull(unhealthy.UnhealthySince);
        Assert.InRange(unhealthy.UnhealthySince!.Value, before, DateTimeOffset.UtcNow);
        Assert.NotEmpty(unhealthy.Message);

        h.Cluster.Faults.Clear();

        var healthy = await StatusWhenAsync(h, s => s.Healthy, "the cluster is healthy again");
        Assert.Null(healthy.UnhealthySince);
    }

    [Fact]
    public async Task A_single_failed_probe_below_the_threshold_does_not_mark_the_cluster_unhealthy()
    {
        await using var h = await BackendHarness.StartAsync(o => o with { Health = o.Health with { FailureThreshold = 20, RetryDelay = TimeSpan.FromMilliseconds(200) } });
        await StatusWhenAsync(h, s => s.Healthy, "the cluster is observed");

        h.Cluster.Faults.FailWith(500);
        await Task.Delay(1000);
        var during = h.Backend.Status(Sbx);
        h.Cluster.Faults.Clear();

        Assert.True(during.Healthy, "a blip shorter than the threshold keeps the cluster healthy");
    }

    [Fact]
    public async Task Validate_names_the_field_the_clusters_crd_schema_rejects()
    {
        await using var h = await BackendHarness.StartAsync();
        await StatusWhenAsync(h, s => s.Healthy, "the cluster is observed");
        var good = JsonNode.Parse(KubeJobs.Spark().Manifest)!.AsObject();
        var bad = JsonNode.Parse(KubeJobs.Edited(KubeJobs.Spark(), m => m["spec"]!["type"] = "Cobol").Manifest)!.AsObject();

        Assert.Empty(h.Backend.Validate(good)!);
        var cause = Assert.Single(h.Backend.Validate(bad)!);
        Assert.Equal("spec.type", cause.Field);
        Assert.Contains("Cobol", cause.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cluster_without_a_kinds_crd_does_not_run_it_or_judge_it()
    {
        var crds = Directory.CreateTempSubdirectory("gantry-crds-");
        try
        {
            File.Copy(Path.Combine(SharedFiles.Crds, "sparkoperator.k8s.io_sparkapplications.yaml"), Path.Combine(crds.FullName, "spark.yaml"));
            await using var cluster = await SandboxCluster.StartAsync(new SandboxClusterOptions { Name = "spark-only", CrdDirectory = crds.FullName }, CancellationToken.None);
            await using var backend = Gantry.Backends.Kubernetes.KubernetesBackend.Connect(
                new ClusterConnection { Server = cluster.Server.ToString(), Token = cluster.AdminToken, CertificateAuthorityData = cluster.CertificateAuthorityData },
                new Gantry.Backends.Kubernetes.KubernetesBackendOptions { ClusterName = "spark-only", GatewayUrl = "http://gantry.test" },
                new RecordingSink(),
                new MovedJobs(),
                Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);

            ClusterStatus status = backend.Status(Sbx);
            await ClusterLookups.EventuallyAsync(() => Task.FromResult((status = backend.Status(Sbx)).Healthy), "observed");

            // batch/v1 Jobs are built in: every cluster runs them.
            Assert.Equal(["Job", "SparkApplication"], status.Kinds.Order(StringComparer.Ordinal));
            Assert.Null(backend.Validate(JsonNode.Parse(KubeJobs.Jax().Manifest)!.AsObject()));
        }
        finally
        {
            crds.Delete(recursive: true);
        }
    }
}
