using Gantry.Core.Resources;
using Gantry.Core.Scheduling;

namespace Gantry.Core.Tests.Scheduling;

public sealed class FifoSchedulerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private static readonly HashSet<string> Commands = ["Command"];
    private readonly FifoScheduler _scheduler = new();

    [Fact]
    public void Jobs_that_fit_are_placed_in_submission_order_until_capacity_runs_out()
    {
        var snapshot = Snapshot([Cluster("local", cpu: 4)], Job("a", 1, cpu: 2), Job("b", 2, cpu: 2), Job("c", 3, cpu: 1));

        var result = _scheduler.Schedule(snapshot);

        Assert.Equal(["a", "b"], result.Placements.Select(p => p.JobId));
        Assert.Equal("local: needs cpu 1, 0 free", result.Waiting["c"].Summary);
    }

    [Fact]
    public void A_head_that_does_not_fit_blocks_its_queue_but_not_other_queues()
    {
        var snapshot = Snapshot([Cluster("local", cpu: 4, freeCpu: 2)],
            Job("big", 1, cpu: 3), Job("small", 2, cpu: 1), Job("other", 3, cpu: 1, queue: "q2"));

        var result = _scheduler.Schedule(snapshot);

        Assert.Equal(["other"], result.Placements.Select(p => p.JobId));
        Assert.Equal("local: needs cpu 3, 2 free", result.Waiting["big"].Summary);
        Assert.Equal("waiting behind job big, which is first in queue default and does not fit yet", result.Waiting["small"].Summary);
    }

    [Fact]
    public void Cordoned_and_unhealthy_clusters_get_nothing_and_say_so()
    {
        var snapshot = Snapshot([Cluster("a", cpu: 8, cordoned: true), Cluster("b", cpu: 8, healthy: false)], Job("j", 1, cpu: 1));

        var result = _scheduler.Schedule(snapshot);

        Assert.Empty(result.Placements);
        Assert.Equal("a: cordoned; b: unhealthy", result.Waiting["j"].Summary);
        Assert.Equal([new ClusterVerdict("a", false, "cordoned"), new ClusterVerdict("b", false, "unhealthy")], result.Waiting["j"].Clusters);
    }

    [Fact]
    public void A_job_no_cluster_can_run_is_rejected_with_the_reason()
    {
        var snapshot = Snapshot([Cluster("local", cpu: 4)], Job("spark", 1, cpu: 1, kind: "SparkApplication"));

        var result = _scheduler.Schedule(snapshot);

        var rejection = Assert.Single(result.Rejections);
        Assert.Equal("no cluster can run SparkApplication jobs (local runs Command)", rejection.Reason);
    }

    [Fact]
    public void A_job_bigger_than_every_cluster_is_rejected_rather_than_left_waiting()
    {
        var snapshot = Snapshot([Cluster("local", cpu: 4, memoryGi: 8)], Job("huge", 1, cpu: 16, memoryGi: 4));

        var result = _scheduler.Schedule(snapshot);

        Assert.Equal("the job is bigger than every cluster that could run it: local needs cpu 16, 4 in total", Assert.Single(result.Rejections).Reason);
        Assert.Empty(result.Waiting);
    }

    [Fact]
    public void The_same_snapshot_gives_the_same_decisions_whatever_the_input_order()
    {
        var jobs = Enumerable.Range(1, 30).Select(i => Job($"j{i}", i, cpu: 1 + (i % 3), queue: $"q{i % 4}")).ToArray();
        var forward = _scheduler.Schedule(Snapshot([Cluster("x", cpu: 20), Cluster("y", cpu: 10)], jobs));
        var backward = _scheduler.Schedule(Snapshot([Cluster("y", cpu: 10), Cluster("x", cpu: 20)], jobs.Reverse().ToArray()));

        Assert.Equal(forward.Placements, backward.Placements);
        Assert.Equal(forward.Waiting.OrderBy(w => w.Key).Select(w => (w.Key, w.Value.Summary)), backward.Waiting.OrderBy(w => w.Key).Select(w => (w.Key, w.Value.Summary)));
    }

    private static SchedulingSnapshot Snapshot(IReadOnlyList<ClusterView> clusters, params PendingJob[] jobs) => new(Now, jobs, clusters);

    private static ClusterView Cluster(string name, long cpu, long memoryGi = 64, long? freeCpu = null, bool cordoned = false, bool healthy = true) =>
        new(name, healthy, cordoned, new Gantry.Core.Resources.Resources(cpu * 1000, memoryGi << 30, 0), new Gantry.Core.Resources.Resources((freeCpu ?? cpu) * 1000, memoryGi << 30, 0), Commands);

    private static PendingJob Job(string id, long seq, long cpu, long memoryGi = 1, string queue = "default", string kind = "Command") =>
        new(id, queue, kind, 0, seq, Now.AddSeconds(seq), new ResourceDemand([new PodDemand("main", 1, new Gantry.Core.Resources.Resources(cpu * 1000, memoryGi << 30, 0))]));
}
