using Gantry.Core.Scheduling;
using static Gantry.Core.Tests.Scheduling.Snapshots;

namespace Gantry.Core.Tests.Scheduling;

public sealed class FairSharesTests
{
    [Fact]
    public void Share_is_the_dominant_fraction_of_healthy_capacity_and_entitlement_splits_by_weight_among_demanding_queues()
    {
        // 100 CPUs healthy (the unhealthy 50 do not count); "etl" holds 30 of them, "ml" wants some, "idle" wants nothing.
        var snapshot = Of(
            [Cluster("east", cpu: 60), Cluster("west", cpu: 40), Cluster("down", cpu: 50, healthy: false)],
            [
                Queue("etl", weight: 1, usage: new QueueUsage(Cpu(30), 3)),
                Queue("ml", weight: 3),
                Queue("idle", weight: 10),
            ],
            Job("j1", 1, cpu: 4, queue: "ml"));

        var shares = FairShares.Of(snapshot);

        Assert.Equal(0.30, shares["etl"].Share, 6);
        Assert.Equal(0.25, shares["etl"].Entitlement, 6);
        Assert.Equal(0.0, shares["ml"].Share, 6);
        Assert.Equal(0.75, shares["ml"].Entitlement, 6);
        Assert.True(shares["ml"].Demanding);
        Assert.Equal(new QueueFairShare(0, 0, false), shares["idle"]);
    }

    [Fact]
    public void A_gpu_heavy_queue_is_measured_by_its_gpus()
    {
        var snapshot = Of(
            [Cluster("gpu", cpu: 100, gpu: 8)],
            [Queue("train", usage: new QueueUsage(Cpu(10, gpu: 6), 1))]);

        var shares = FairShares.Of(snapshot);

        Assert.Equal(0.75, shares["train"].Share, 6);
        Assert.Equal(1.0, shares["train"].Entitlement, 6);
    }

    [Fact]
    public void With_no_healthy_cluster_every_share_is_zero()
    {
        var snapshot = Of([Cluster("down", cpu: 10, healthy: false)], [Queue("a", usage: new QueueUsage(Cpu(2), 1))]);

        Assert.Equal(0.0, FairShares.Of(snapshot)["a"].Share);
    }
}
