using Gantry.Core.Queues;
using Gantry.Core.Scheduling;
using static Gantry.Core.Tests.Scheduling.Snapshots;

namespace Gantry.Core.Tests.Scheduling;

/// <summary>CPU-only jobs keep off GPU clusters and GPU nodes when they have somewhere else to go.</summary>
public sealed class GpuPreferenceTests
{
    private readonly FairShareScheduler _scheduler = new();

    [Theory]
    [InlineData(PlacementPolicy.LeastLoaded, 32, 4)]
    [InlineData(PlacementPolicy.LabelAffinity, 32, 4)]
    [InlineData(PlacementPolicy.BestFit, 4, 16)]
    public void A_cpu_job_goes_to_the_cpu_cluster_though_the_policy_would_rather_the_gpu_cluster(PlacementPolicy policy, long gpuNodeFreeCpu, long cpuNodeFreeCpu)
    {
        // The policy alone would pick the GPU cluster (emptier for LeastLoaded, fuller for BestFit; first by name).
        var gpu = Cluster("a-gpu", cpu: 64, freeCpu: 2 * gpuNodeFreeCpu, gpu: 16,
            nodes: [Node(32, freeCpu: gpuNodeFreeCpu, gpu: 8), Node(32, freeCpu: gpuNodeFreeCpu, gpu: 8)]);
        var cpu = Cluster("b-cpu", cpu: 32, freeCpu: 2 * cpuNodeFreeCpu, nodes: [Node(16, freeCpu: cpuNodeFreeCpu), Node(16, freeCpu: cpuNodeFreeCpu)]);

        var result = _scheduler.Schedule(Of([gpu, cpu], [Queue("default", policy: policy)], Job("spark", 1, cpu: 2, pods: 2)));

        Assert.Equal("b-cpu", result.PlacedOn("spark"));
    }

    [Fact]
    public void A_cpu_job_still_goes_to_the_gpu_cluster_when_nothing_else_has_room()
    {
        var gpu = Cluster("a-gpu", cpu: 64, gpu: 16, nodes: [Node(32, gpu: 8), Node(32, gpu: 8)]);
        var cpu = Cluster("b-cpu", cpu: 32, freeCpu: 1, nodes: [Node(16, freeCpu: 1), Node(16, freeCpu: 0)]);

        var result = _scheduler.Schedule(Of([gpu, cpu], Job("spark", 1, cpu: 2, pods: 2)));

        Assert.Equal("a-gpu", result.PlacedOn("spark"));
    }

    [Fact]
    public void Within_a_cluster_a_cpu_job_takes_the_cpu_node_so_a_gpu_job_still_fits_the_gpu_node()
    {
        // The GPU node is listed first: packing in node order would put the CPU job on it.
        var mixed = Cluster("mixed", cpu: 64, gpu: 8, nodes: [Node(32, gpu: 8), Node(32)]);

        var result = _scheduler.Schedule(Of([mixed], Job("cpu-only", 1, cpu: 20), Job("training", 2, cpu: 30, gpu: 8)));

        Assert.Equal("mixed", result.PlacedOn("cpu-only"));
        Assert.Equal("mixed", result.PlacedOn("training"));
    }

    [Fact]
    public void A_gpu_job_is_not_held_back_by_the_preference()
    {
        var gpu = Cluster("b-gpu", cpu: 64, gpu: 16, nodes: [Node(32, gpu: 8), Node(32, gpu: 8)]);
        var cpu = Cluster("a-cpu", cpu: 64, nodes: [Node(32), Node(32)]);

        var result = _scheduler.Schedule(Of([gpu, cpu], Job("training", 1, cpu: 8, gpu: 4)));

        Assert.Equal("b-gpu", result.PlacedOn("training"));
    }
}
