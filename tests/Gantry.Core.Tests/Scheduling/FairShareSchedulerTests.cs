using Gantry.Core.Queues;
using Gantry.Core.Scheduling;
using static Gantry.Core.Tests.Scheduling.Snapshots;

namespace Gantry.Core.Tests.Scheduling;

public sealed class FairShareSchedulerTests
{
    private readonly FairShareScheduler _scheduler = new();

    [Fact]
    public void Least_loaded_is_the_default_and_spreads_jobs()
    {
        var result = _scheduler.Schedule(Of([Cluster("a", cpu: 10, freeCpu: 4), Cluster("b", cpu: 10, freeCpu: 8)], Job("j1", 1), Job("j2", 2)));

        Assert.Equal("b", result.PlacedOn("j1"));
        Assert.Equal("b", result.PlacedOn("j2"));
    }

    [Fact]
    public void Best_fit_packs_the_fullest_cluster_that_still_fits()
    {
        var snapshot = Of([Cluster("a", cpu: 10, freeCpu: 3), Cluster("b", cpu: 10, freeCpu: 8)],
            [Queue("default", policy: PlacementPolicy.BestFit)], Job("j1", 1, cpu: 2), Job("j2", 2, cpu: 2));

        var result = _scheduler.Schedule(snapshot);

        Assert.Equal("a", result.PlacedOn("j1"));
        Assert.Equal("b", result.PlacedOn("j2"));
    }

    [Fact]
    public void Label_affinity_prefers_matching_clusters_and_falls_back_when_they_are_full()
    {
        var east = new Dictionary<string, string> { ["region"] = "east" };
        var snapshot = Of(
            [Cluster("busy-east", cpu: 10, freeCpu: 2, labels: east), Cluster("idle-west", cpu: 10, labels: new() { ["region"] = "west" })],
            [Queue("default", policy: PlacementPolicy.LabelAffinity, affinity: east)],
            Job("j1", 1, cpu: 2), Job("j2", 2, cpu: 2));

        var result = _scheduler.Schedule(snapshot);

        Assert.Equal("busy-east", result.PlacedOn("j1"));
        Assert.Equal("idle-west", result.PlacedOn("j2"));
    }

    [Fact]
    public void A_cluster_selector_is_a_requirement_and_no_match_rejects_the_job()
    {
        var snapshot = Of(
            [Cluster("a", cpu: 10, labels: new() { ["gpu"] = "a100" }), Cluster("b", cpu: 10)],
            [Queue("gpu", selector: new() { ["gpu"] = "a100" }), Queue("h100", selector: new() { ["gpu"] = "h100" })],
            Job("fits", 1, queue: "gpu"), Job("nowhere", 2, queue: "h100"));

        var result = _scheduler.Schedule(snapshot);

        Assert.Equal("a", result.PlacedOn("fits"));
        var rejection = Assert.Single(result.Rejections);
        Assert.Equal(ReasonCode.NoMatchingCluster, rejection.Code);
        Assert.Contains("matches queue h100's cluster selector gpu=h100", rejection.Reason);
    }

    [Fact]
    public void A_cluster_for_admins_only_takes_an_admins_job_and_others_go_elsewhere_or_are_rejected_with_its_reason()
    {
        const string why = "jobs run as the gateway's OS user here; only admins' jobs may run on it (Gantry:Local:Isolation)";
        var local = Cluster("local", cpu: 10) with { AdminsOnly = why };

        var alone = _scheduler.Schedule(Of([local], Job("admins", 1) with { ByAdmin = true }, Job("users", 2)));
        var withAnother = _scheduler.Schedule(Of([local, Cluster("k8s", cpu: 2, freeCpu: 1)], Job("users", 1)));

        Assert.Equal("local", alone.PlacedOn("admins"));
        var rejection = Assert.Single(alone.Rejections);
        Assert.Equal(("users", ReasonCode.NoMatchingCluster), (rejection.JobId, rejection.Code));
        Assert.Equal($"local: {why}", rejection.Reason);
        Assert.Equal("k8s", withAnother.PlacedOn("users"));
    }

    [Fact]
    public void With_no_cluster_at_all_a_job_is_rejected_not_left_waiting()
    {
        var result = _scheduler.Schedule(Of([], Job("j", 1)));

        Assert.Equal(ReasonCode.NoMatchingCluster, Assert.Single(result.Rejections).Code);
        Assert.Contains("no cluster is registered", result.Rejections[0].Reason);
    }

    [Fact]
    public void The_whole_gang_must_fit_on_one_cluster()
    {
        var result = _scheduler.Schedule(Of([Cluster("a", cpu: 10, freeCpu: 3), Cluster("b", cpu: 10, freeCpu: 3)], Job("gang", 1, cpu: 1, pods: 4)));

        Assert.Empty(result.Placements);
        var why = result.Waiting["gang"];
        Assert.Equal(ReasonCode.Insufficient, why.Code);
        Assert.Equal("none of the 2 clusters it may use has room; closest: a needs cpu 4, 3 free", why.Summary);
    }

    [Fact]
    public void Each_pod_must_fit_on_one_node()
    {
        // 6 cores free in total, but 3 on each node: two 2-core pods fit, one 4-core pod does not.
        var cluster = Cluster("a", cpu: 8, freeCpu: 6, nodes: [Node(4, freeCpu: 3), Node(4, freeCpu: 3)]);

        var split = _scheduler.Schedule(Of([cluster], Job("two-small", 1, cpu: 2, pods: 2)));
        var whole = _scheduler.Schedule(Of([cluster], Job("one-big", 1, cpu: 4)));

        Assert.Equal("a", split.PlacedOn("two-small"));
        Assert.Empty(whole.Placements);
        Assert.Equal(ReasonCode.NodeFit, whole.Waiting["one-big"].Code);
    }

    [Fact]
    public void Pods_already_placed_this_round_take_their_node()
    {
        var cluster = Cluster("a", cpu: 8, nodes: [Node(4), Node(4)]);

        var result = _scheduler.Schedule(Of([cluster], Job("j1", 1, cpu: 3), Job("j2", 2, cpu: 3), Job("j3", 3, cpu: 3)));

        Assert.Equal(["j1", "j2"], result.Placements.Select(p => p.JobId));
        Assert.Equal(ReasonCode.Insufficient, result.Waiting["j3"].Code);
    }

    [Fact]
    public void A_pod_bigger_than_every_node_is_rejected()
    {
        var result = _scheduler.Schedule(Of([Cluster("a", cpu: 16, nodes: [Node(8), Node(8)])], Job("wide", 1, cpu: 12)));

        var rejection = Assert.Single(result.Rejections);
        Assert.Equal(ReasonCode.TooLarge, rejection.Code);
        Assert.Contains("no node big enough", rejection.Reason);
    }

    [Fact]
    public void A_job_bigger_than_every_allowed_cluster_is_rejected_naming_the_closest()
    {
        var result = _scheduler.Schedule(Of([Cluster("small", cpu: 4), Cluster("large", cpu: 32)], Job("huge", 1, cpu: 64)));

        var rejection = Assert.Single(result.Rejections);
        Assert.Equal(ReasonCode.TooLarge, rejection.Code);
        Assert.Equal("the job is bigger than every cluster it may use: large needs cpu 64, 32 in total", rejection.Reason);
    }

    [Fact]
    public void A_zero_capacity_resource_holds_nothing_but_does_not_block_jobs_that_need_none()
    {
        var result = _scheduler.Schedule(Of([Cluster("cpu-only", cpu: 8, gpu: 0)], Job("cpu", 1), Job("gpu", 2, gpu: 1)));

        Assert.Equal("cpu-only", result.PlacedOn("cpu"));
        Assert.Equal(ReasonCode.TooLarge, Assert.Single(result.Rejections).Code);
    }

    [Fact]
    public void An_unhealthy_cluster_that_reports_nothing_makes_jobs_wait_not_fail()
    {
        var unknown = Cluster("gone", cpu: 0, memoryGi: 0, healthy: false);

        var result = _scheduler.Schedule(Of([unknown], Job("j", 1)));

        Assert.Empty(result.Rejections);
        Assert.Equal(ReasonCode.Unhealthy, result.Waiting["j"].Code);
        Assert.Equal("cluster gone is unhealthy", result.Waiting["j"].Summary);
    }

    [Fact]
    public void A_cluster_not_observed_yet_may_run_any_kind_so_the_job_waits_for_it_instead_of_failing()
    {
        var connecting = Cluster("new", cpu: 0, memoryGi: 0, healthy: false) with { Kinds = new HashSet<string>() };
        var local = Cluster("local", cpu: 8) with { Kinds = new HashSet<string> { "Command" } };

        var result = _scheduler.Schedule(Of([local, connecting], Job("spark", 1, kind: "SparkApplication")));

        Assert.Empty(result.Rejections);
        Assert.Equal(ReasonCode.Unhealthy, result.Waiting["spark"].Code);
        Assert.Equal("new", result.Waiting["spark"].Cluster);
    }

    [Fact]
    public void Cordoned_and_unhealthy_clusters_get_nothing_and_the_reason_says_which()
    {
        var result = _scheduler.Schedule(Of([Cluster("a", cpu: 8, cordoned: true), Cluster("b", cpu: 8, healthy: false)], Job("j", 1)));

        Assert.Empty(result.Placements);
        Assert.Equal(ReasonCode.Cordoned, result.Waiting["j"].Code);
        var verdicts = WaitAnalysis.Verdicts(Job("j", 1), Of([Cluster("a", cpu: 8, cordoned: true), Cluster("b", cpu: 8, healthy: false)], Job("j", 1)), result);
        Assert.Equal([("a", "cordoned"), ("b", "unhealthy")], verdicts.Select(v => (v.Cluster, v.Reason)));
    }

    [Fact]
    public void A_quota_exactly_met_still_places_and_one_more_waits_with_the_numbers()
    {
        var snapshot = Of([Cluster("gpu-east", cpu: 64, gpu: 32)],
            [Queue("ml-gpu", quota: new QueueQuota(Gpu: 16), usage: new QueueUsage(Cpu(8, gpu: 8), 1))],
            Job("fills", 1, gpu: 8, queue: "ml-gpu"), Job("over", 2, gpu: 8, queue: "ml-gpu"));

        var result = _scheduler.Schedule(snapshot);

        Assert.Equal("gpu-east", result.PlacedOn("fills"));
        var why = result.Waiting["over"];
        Assert.Equal(ReasonCode.QuotaExceeded, why.Code);
        Assert.Equal("queue ml-gpu is at its gpu quota: 16/16 held, the job needs 8", why.Summary);
    }

    [Fact]
    public void A_running_jobs_quota_counts_jobs()
    {
        var snapshot = Of([Cluster("a", cpu: 64)], [Queue("q", quota: new QueueQuota(RunningJobs: 2), usage: new QueueUsage(Cpu(1), 1))],
            Job("second", 1, queue: "q"), Job("third", 2, queue: "q"));

        var result = _scheduler.Schedule(snapshot);

        Assert.Equal(["second"], result.Placements.Select(p => p.JobId));
        Assert.Equal("queue q is at its running jobs quota: 2/2 held, the job needs 1", result.Waiting["third"].Summary);
    }

    [Fact]
    public void A_job_over_its_queue_quota_even_when_empty_is_rejected()
    {
        var snapshot = Of([Cluster("a", cpu: 64)], [Queue("q", quota: new QueueQuota(CpuMillis: 4000))], Job("big", 1, cpu: 8, queue: "q"));

        var rejection = Assert.Single(_scheduler.Schedule(snapshot).Rejections);

        Assert.Equal(ReasonCode.OverQuota, rejection.Code);
        Assert.Contains("more than queue q's quota of 4 allows", rejection.Reason);
    }

    [Fact]
    public void Queues_share_by_weight_when_both_want_more_than_there_is()
    {
        var jobs = Enumerable.Range(0, 60).Select(i => Job($"light-{i}", i, queue: "light"))
            .Concat(Enumerable.Range(0, 60).Select(i => Job($"heavy-{i}", 100 + i, queue: "heavy")))
            .ToArray();
        var snapshot = Of([Cluster("a", cpu: 40)], [Queue("light", weight: 1), Queue("heavy", weight: 3)], jobs);

        var result = _scheduler.Schedule(snapshot);

        Assert.Equal(10, result.Placements.Count(p => p.JobId.StartsWith("light")));
        Assert.Equal(30, result.Placements.Count(p => p.JobId.StartsWith("heavy")));
    }

    [Fact]
    public void The_queue_with_the_smaller_dominant_share_goes_first()
    {
        // gpu-heavy already holds half the GPUs (dominant share 0.5); cpu-light holds a quarter of the CPUs.
        var snapshot = Of([Cluster("a", cpu: 8, freeCpu: 6, gpu: 4, freeGpu: 2)],
            [Queue("gpu-heavy", usage: new QueueUsage(Cpu(0, gpu: 2), 1)), Queue("cpu-light", usage: new QueueUsage(Cpu(2), 1))],
            Job("g", 1, cpu: 6, queue: "gpu-heavy"), Job("c", 2, cpu: 6, queue: "cpu-light"));

        var result = _scheduler.Schedule(snapshot);

        Assert.Equal(["c"], result.Placements.Select(p => p.JobId));
    }

    [Fact]
    public void Queue_priority_comes_before_share()
    {
        var snapshot = Of([Cluster("a", cpu: 4)],
            [Queue("low", priority: 0), Queue("high", priority: 10, usage: new QueueUsage(Cpu(100), 10))],
            Job("l", 1, cpu: 4, queue: "low"), Job("h", 2, cpu: 4, queue: "high"));

        Assert.Equal(["h"], _scheduler.Schedule(snapshot).Placements.Select(p => p.JobId));
    }

    [Fact]
    public void Within_a_queue_priority_then_submission_order()
    {
        var snapshot = Of([Cluster("a", cpu: 2)], Job("old", 1), Job("urgent", 3, priority: 5), Job("new", 2));

        Assert.Equal(["urgent", "old"], _scheduler.Schedule(snapshot).Placements.Select(p => p.JobId));
    }

    [Fact]
    public void A_large_job_that_does_not_fit_does_not_stop_smaller_ones_behind_it()
    {
        var result = _scheduler.Schedule(Of([Cluster("a", cpu: 4, freeCpu: 2)], Job("big", 1, cpu: 3), Job("small", 2, cpu: 1)));

        Assert.Equal(["small"], result.Placements.Select(p => p.JobId));
        Assert.Equal("a needs cpu 3, 2 free", result.Waiting["big"].Summary);
    }

    [Fact]
    public void After_waiting_too_long_a_large_job_gets_capacity_held_and_small_jobs_stop_taking_it()
    {
        var snapshot = Of([Cluster("a", cpu: 8, freeCpu: 4), Cluster("b", cpu: 8, freeCpu: 2)],
            [Queue("big"), Queue("small")],
            Job("starving", 1, cpu: 6, queue: "big", age: TimeSpan.FromMinutes(11)),
            Job("s1", 2, cpu: 2, queue: "small"), Job("s2", 3, cpu: 2, queue: "small"));

        var result = _scheduler.Schedule(snapshot);

        var reservation = Assert.Single(result.Reservations);
        Assert.Equal(("starving", "a"), (reservation.JobId, reservation.Cluster));
        Assert.EndsWith("capacity is being held for it on a", result.Waiting["starving"].Summary);
        // b's 2 cores are still free for the small jobs; a's 4 are held.
        Assert.Equal(["s1"], result.Placements.Select(p => p.JobId));
        Assert.Equal(ReasonCode.CapacityReserved, result.Waiting["s2"].Code);
        Assert.Contains("held for job starving", result.Waiting["s2"].Summary);
    }

    [Fact]
    public void A_job_that_has_waited_long_and_fits_is_placed_before_anything_else()
    {
        var snapshot = Of([Cluster("a", cpu: 4)], [Queue("first", priority: 5), Queue("late")],
            Job("eager", 1, cpu: 4, queue: "first"), Job("patient", 2, cpu: 4, queue: "late", age: TimeSpan.FromHours(1)));

        Assert.Equal(["patient"], _scheduler.Schedule(snapshot).Placements.Select(p => p.JobId));
    }

    [Fact]
    public void Capacity_placed_but_not_yet_shown_by_the_cluster_is_not_given_again()
    {
        var cluster = Cluster("a", cpu: 8) with { Unobserved = Cpu(6) };

        var result = _scheduler.Schedule(Of([cluster], Job("j1", 1, cpu: 2), Job("j2", 2, cpu: 2)));

        Assert.Equal(["j1"], result.Placements.Select(p => p.JobId));
    }

    [Fact]
    public void Ties_between_identical_clusters_go_by_name_and_the_same_input_gives_the_same_answer()
    {
        var snapshot = Of([Cluster("b", cpu: 8), Cluster("a", cpu: 8), Cluster("c", cpu: 8)], Job("j1", 1), Job("j2", 2), Job("j3", 3));

        var first = _scheduler.Schedule(snapshot);
        var second = _scheduler.Schedule(snapshot);

        Assert.Equal(["a", "b", "c"], first.Placements.Select(p => p.Cluster));
        Assert.Equal(first.Placements, second.Placements);
    }

    [Fact]
    public void Only_clusters_that_run_the_kind_are_considered()
    {
        var local = Cluster("local", cpu: 8) with { Kinds = new HashSet<string> { "Command" } };
        var k8s = Cluster("k8s", cpu: 8, freeCpu: 1) with { Kinds = new HashSet<string> { "SparkApplication" } };

        var result = _scheduler.Schedule(Of([local, k8s], Job("spark", 1, kind: "SparkApplication", cpu: 2)));

        Assert.Equal(ReasonCode.Insufficient, result.Waiting["spark"].Code);
        Assert.Equal("k8s", result.Waiting["spark"].Cluster);
    }

    [Fact]
    public void Explain_ranks_clusters_from_most_hopeful_and_says_what_is_missing()
    {
        var clusters = new[]
        {
            Cluster("cpu-west", cpu: 64, gpu: 0, cordoned: true),
            Cluster("gpu-east", cpu: 64, gpu: 16, freeGpu: 4),
            Cluster("gpu-north", cpu: 64, gpu: 16, freeGpu: 2),
        };
        var job = Job("train", 1, gpu: 8);
        var snapshot = Of(clusters, job);

        var result = _scheduler.Schedule(snapshot);
        var verdicts = WaitAnalysis.Verdicts(job, snapshot, result);

        Assert.Equal("none of the 3 clusters it may use has room; closest: gpu-east needs gpu 8, 4 free", result.Waiting["train"].Summary);
        Assert.Equal(
            [("gpu-east", "needs gpu 8, 4 free"), ("gpu-north", "needs gpu 8, 2 free"), ("cpu-west", "too small for it even when empty: needs gpu 8, 0 in total")],
            verdicts.Select(v => (v.Cluster, v.Reason)));
    }
}
