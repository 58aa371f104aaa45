using System.Text.Json.Nodes;
using Gantry.Backends.Kubernetes;
using Gantry.Core.Jobs;
using Gantry.Kubernetes.Tests.Support;

namespace Gantry.Kubernetes.Tests.Kubernetes;

/// <summary>
/// Giving a job up on a cluster (failover's half of the backend): no more reports, and its copy is
/// deleted, at once when the cluster answers, or when it answers again, even by a backend made
/// after a gateway restart. And what the cluster says of pods that wait.
/// </summary>
public sealed class AbandonTests
{
    [Fact]
    public async Task An_abandoned_job_is_deleted_at_once_and_reported_no_more()
    {
        await using var h = await BackendHarness.StartAsync();
        var job = KubeJobs.Spark(duration: "30s");
        await h.DispatchAsync(job);
        await h.Sink.WaitForAsync(job.Id, JobState.Running);
        var reported = h.Sink.Transitions(job.Id).Count;

        await h.Backend.AbandonAsync(job with { State = JobState.Running }, CancellationToken.None);

        Assert.Equal(0, await h.Admin.CopiesAsync(job));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(reported, h.Sink.Transitions(job.Id).Count);
    }

    [Fact]
    public async Task A_copy_abandoned_while_the_cluster_was_away_is_deleted_when_it_answers_before_its_operator_runs_it()
    {
        await using var h = await BackendHarness.StartAsync();
        h.Cluster.Faults.OperatorsPaused = true;
        var job = KubeJobs.Spark(duration: "1s");
        await h.DispatchAsync(job);
        await h.Sink.WaitForAsync(job.Id, JobState.Submitted);
        await h.Cluster.StopAsync();

        await h.Backend.AbandonAsync(job with { State = JobState.Submitted }, CancellationToken.None);
        h.Moved.Move(job.Id);
        await h.Cluster.RestartAsync();

        await ClusterLookups.EventuallyAsync(async () => await h.Admin.CopiesAsync(job) == 0, "the stale copy is deleted");
        h.Cluster.Faults.OperatorsPaused = false;
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.Equal(0, await h.Admin.PodCountAsync($"sparkoperator.k8s.io/app-name={GantryLabels.ResourceName(job.Id)}"));
        Assert.DoesNotContain(JobState.Running, h.Sink.States(job.Id));
    }

    [Fact]
    public async Task After_a_gateway_restart_the_store_decides_and_a_copy_of_a_job_that_moved_is_deleted()
    {
        await using var h = await BackendHarness.StartAsync();
        var moved = KubeJobs.Spark(duration: "30s");
        var stays = KubeJobs.Spark(duration: "30s");
        await h.DispatchAsync(moved);
        await h.DispatchAsync(stays);
        await h.Sink.WaitForAsync(moved.Id, JobState.Running);
        await h.Sink.WaitForAsync(stays.Id, JobState.Running);
        await h.Backend.DisposeAsync();

        h.Moved.Move(moved.Id);
        var restarted = h.Connect();
        await restarted.ResumeAsync([stays with { State = JobState.Running }], CancellationToken.None);

        await ClusterLookups.EventuallyAsync(async () => await h.Admin.CopiesAsync(moved) == 0, "the moved job's copy is deleted");
        Assert.Equal(1, await h.Admin.CopiesAsync(stays));
    }

    [Fact]
    public async Task The_cluster_says_why_a_placed_jobs_pods_wait()
    {
        await using var h = await BackendHarness.StartAsync();
        // Executors of 12 cores: the driver runs, no 8-core node takes an executor.
        var job = KubeJobs.Edited(KubeJobs.Spark(duration: "30s"), m => m["spec"]!["executor"]!["cores"] = 12);
        await h.DispatchAsync(job);
        await h.Sink.WaitForAsync(job.Id, JobState.Running);

        IReadOnlyList<string> said = [];
        await ClusterLookups.EventuallyAsync(async () =>
        {
            said = await h.Backend.PendingReasonsAsync(job, CancellationToken.None);
            return said.Any(s => s.Contains("nodes are available", StringComparison.Ordinal));
        }, "the cluster's scheduler explains the pending executor");

        var reason = Assert.Single(said);
        Assert.Contains("Insufficient cpu", reason, StringComparison.Ordinal);
        Assert.StartsWith("exec", reason, StringComparison.Ordinal);
    }
}
