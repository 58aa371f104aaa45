using Gantry.Core.Scheduling;
using static Gantry.Core.Tests.Scheduling.Snapshots;

namespace Gantry.Core.Tests.Scheduling;

/// <summary>A cluster that cannot run a job (local, without the job's command) is not eligible for it, and says why.</summary>
public class LocalRefusalTests
{
    private const string Why = "container pytorch has no command; its image's entrypoint cannot run here";
    private readonly FairShareScheduler _scheduler = new();

    private static PendingJob Refused(string id, long seq) =>
        Job(id, seq, kind: "PyTorchJob") with { Refused = new Dictionary<string, string> { ["local"] = Why } };

    [Fact]
    public void A_job_local_refuses_goes_to_another_cluster_even_where_local_has_more_room()
    {
        // LeastLoaded would pick the emptier local cluster for a job that fits anywhere.
        var result = _scheduler.Schedule(Of([Cluster("local", cpu: 64), Cluster("k8s", cpu: 8, freeCpu: 2)], Refused("image-only", 1)));

        Assert.Equal("k8s", result.PlacedOn("image-only"));
    }

    [Fact]
    public void A_job_only_local_could_take_but_refuses_waits_with_the_reason_instead_of_being_rejected_or_run()
    {
        var snapshot = Of([Cluster("local", cpu: 64)], Refused("image-only", 1), Job("script", 2, kind: "PyTorchJob"));

        var result = _scheduler.Schedule(snapshot);

        Assert.Equal("local", result.PlacedOn("script"));
        Assert.DoesNotContain(result.Placements, p => p.JobId == "image-only");
        Assert.Empty(result.Rejections);
        var reason = result.Waiting["image-only"];
        Assert.Equal(ReasonCode.CannotRun, reason.Code);
        Assert.Equal($"no cluster it may use can run it; local: {Why}", reason.Summary);
        Assert.False(reason.Summary.EndsWith('.'));
    }

    [Fact]
    public void Explain_lists_the_refusing_cluster_with_its_reason_beside_the_others()
    {
        var snapshot = Of([Cluster("local", cpu: 64), Cluster("k8s", cpu: 8, freeCpu: 0)], Refused("image-only", 1));
        var result = _scheduler.Schedule(snapshot);

        var verdicts = WaitAnalysis.Verdicts(snapshot.Jobs[0], snapshot, result);

        Assert.Equal(ReasonCode.Insufficient, result.Waiting["image-only"].Code);
        Assert.Equal(["k8s", "local"], verdicts.Select(v => v.Cluster));
        var local = verdicts[1];
        Assert.Equal((ReasonCode.CannotRun, Why), (local.Code, local.Reason));
    }

    [Fact]
    public void A_refusal_of_a_cluster_the_queue_may_not_use_anyway_changes_nothing()
    {
        var onlyK8s = Queue("default", selector: new Dictionary<string, string> { ["kind"] = "k8s" });
        var snapshot = Of([Cluster("local", cpu: 64), Cluster("k8s", cpu: 8, labels: new() { ["kind"] = "k8s" })], [onlyK8s], Refused("j", 1));

        Assert.Equal("k8s", _scheduler.Schedule(snapshot).PlacedOn("j"));
        var none = Of([Cluster("local", cpu: 64)], [onlyK8s], Refused("j", 1));
        Assert.Equal(ReasonCode.NoMatchingCluster, Assert.Single(_scheduler.Schedule(none).Rejections).Code);
    }
}
