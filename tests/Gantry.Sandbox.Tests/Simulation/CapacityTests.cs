using System.Text.Json.Nodes;
using Gantry.Sandbox.Tests.Support;
using k8s;
using static Gantry.Sandbox.Tests.Support.Manifests;

namespace Gantry.Sandbox.Tests.Simulation;

/// <summary>Pods hold their requests on a node while they run; what fits nowhere waits Pending with kube-scheduler's event.</summary>
public sealed class CapacityTests : IAsyncLifetime
{
    private SandboxCluster _cluster = null!;
    private IKubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _cluster = await SandboxCluster.StartAsync(new SandboxClusterOptions
        {
            Name = "tiny",
            Nodes = [new SandboxNode("only", "2", "8Gi")],
            CrdDirectory = SharedFiles.Crds,
            Tick = TimeSpan.FromMilliseconds(50),
        }, CancellationToken.None);
        _client = SandboxFixture.ClientFor(_cluster);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task A_pod_that_does_not_fit_stays_Pending_with_FailedScheduling_until_capacity_frees_up()
    {
        // Long enough that a slow machine still sees it running, and still holds the cpu when the second asks.
        await _client.CustomObjects.CreateNamespacedCustomObjectAsync(OperatorBehaviourTests.PyTorch("first", 1, duration: "10s", workerCpu: "1500m"), "kubeflow.org", "v1", "default", "pytorchjobs");
        await Eventually.Until(async () => (await _client.CoreV1.ListNamespacedPodAsync("default", fieldSelector: "metadata.name=first-worker-0")).Items.FirstOrDefault()?.Status.Phase,
            p => p == "Running", what: "first running");

        await _client.CustomObjects.CreateNamespacedCustomObjectAsync(OperatorBehaviourTests.PyTorch("second", 1, duration: "100ms", workerCpu: "1500m"), "kubeflow.org", "v1", "default", "pytorchjobs");
        var events = await Eventually.Until(
            async () => await _client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: "involvedObject.name=second-worker-0"),
            e => e.Items.Any(x => x.Reason == "FailedScheduling"), what: "FailedScheduling");
        var pending = await _client.CoreV1.ReadNamespacedPodAsync("second-worker-0", "default");

        Assert.Equal("0/1 nodes are available: 1 Insufficient cpu.", events.Items.First(x => x.Reason == "FailedScheduling").Message);
        Assert.Equal("Pending", pending.Status.Phase);
        Assert.Equal("Unschedulable", pending.Status.Conditions.Single(c => c.Type == "PodScheduled").Reason);
        Assert.Null(pending.Spec.NodeName);
        var second = await Eventually.Until(
            async () => AsNode(await _client.CustomObjects.GetNamespacedCustomObjectAsync("kubeflow.org", "v1", "default", "pytorchjobs", "second")),
            o => OperatorExampleTests.LastCondition(o) == "Succeeded", TimeSpan.FromSeconds(60), "second to succeed once first is done");
        Assert.NotNull(second);
    }

    [Fact]
    public async Task Nodes_report_allocatable_and_capacity_including_GPUs()
    {
        await using var gpu = await SandboxCluster.StartAsync(new SandboxClusterOptions
        {
            Name = "gpu",
            Nodes = [new SandboxNode("g", "16", "64Gi", Gpu: 4, Labels: new Dictionary<string, string> { ["gpu-type"] = "a100" })],
            Labels = new Dictionary<string, string> { ["region"] = "eu" },
        }, CancellationToken.None);
        using var client = SandboxFixture.ClientFor(gpu);

        var node = Assert.Single((await client.CoreV1.ListNodeAsync()).Items);

        Assert.Equal("4", node.Status.Allocatable["nvidia.com/gpu"].ToString());
        Assert.Equal("16", node.Status.Capacity["cpu"].ToString());
        Assert.Equal("64Gi", node.Status.Allocatable["memory"].ToString());
        Assert.Equal("a100", node.Metadata.Labels["gpu-type"]);
        Assert.Equal("eu", node.Metadata.Labels["region"]);
    }
}
