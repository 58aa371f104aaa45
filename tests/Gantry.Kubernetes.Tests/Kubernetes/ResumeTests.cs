using Gantry.Backends;
using Gantry.Backends.Kubernetes;
using Gantry.Core.Jobs;
using Gantry.Kubernetes.Tests.Support;

namespace Gantry.Kubernetes.Tests.Kubernetes;

/// <summary>A backend made anew (a gateway restart) takes back the jobs the store says are active.</summary>
public sealed class ResumeTests
{
    [Fact]
    public async Task A_backend_restarted_mid_run_picks_its_jobs_up_without_second_copies()
    {
        await using var h = await BackendHarness.StartAsync();
        var spark = KubeJobs.Spark(duration: "3s");
        var torch = KubeJobs.PyTorch(duration: "3s");
        await h.DispatchAsync(spark);
        await h.DispatchAsync(torch);
        await h.Sink.WaitForAsync(spark.Id, JobState.Running);

        await h.Backend.DisposeAsync();
        var restarted = h.Connect();
        await restarted.ResumeAsync(
            [spark with { State = h.Sink.StateOf(spark.Id) }, torch with { State = h.Sink.StateOf(torch.Id) }], CancellationToken.None);

        await h.Sink.WaitForAsync(spark.Id, JobState.Succeeded);
        await h.Sink.WaitForAsync(torch.Id, JobState.Succeeded);
        Assert.Equal(1, await h.Admin.CopiesAsync(spark));
        Assert.Equal(1, await h.Admin.CopiesAsync(torch));
    }

    [Fact]
    public async Task A_job_that_ended_while_no_backend_watched_is_reported_ended()
    {
        await using var h = await BackendHarness.StartAsync();
        var job = KubeJobs.Jax(duration: "500ms", fail: "worker-0 exited with code 1");
        await h.DispatchAsync(job);
        await h.Backend.DisposeAsync();
        await ClusterLookups.EventuallyAsync(async () =>
            await h.Admin.ResourceAsync(job) is { } resource && resource.TryGetProperty("status", out var status)
                && status.ToString().Contains("\"Failed\"", StringComparison.Ordinal),
            "the job fails in the cluster while nobody watches");

        await h.Connect().ResumeAsync([job with { State = JobState.Submitted }], CancellationToken.None);

        var failed = await h.Sink.WaitForAsync(job.Id, JobState.Failed);
        Assert.Contains("worker-0 exited with code 1", failed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resume_adopts_a_dispatching_job_whose_resource_exists_and_creates_again_under_the_same_name_one_whose_resource_does_not()
    {
        await using var h = await BackendHarness.StartAsync();
        var created = KubeJobs.Spark(duration: "1s");
        var never = KubeJobs.Spark(duration: "1s");
        await h.DispatchAsync(created);
        await h.Backend.DisposeAsync();
        var freshSink = new RecordingSink();

        var restarted = KubernetesBackend.Connect(h.Connection, h.Options, freshSink, h.Moved, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        await using (restarted)
        {
            // As the gateway does: the same job, dispatched again on this backend.
            freshSink.OnRecreate = id => restarted.DispatchAsync(never, new DispatchContext("job-token-" + id), CancellationToken.None);
            await restarted.ResumeAsync([created with { State = JobState.Dispatching }, never with { State = JobState.Dispatching }], CancellationToken.None);

            await freshSink.WaitForAsync(created.Id, JobState.Succeeded);
            await freshSink.WaitForAsync(never.Id, JobState.Succeeded);
            Assert.Equal([never.Id], freshSink.Recreated);
            Assert.DoesNotContain(JobState.Queued, freshSink.States(never.Id));
            Assert.Equal(1, await h.Admin.CopiesAsync(created));
            Assert.Equal(1, await h.Admin.CopiesAsync(never));
        }
    }

    [Fact]
    public async Task A_job_cancelling_when_the_gateway_stopped_is_deleted_and_cancelled_on_resume()
    {
        await using var h = await BackendHarness.StartAsync();
        var job = KubeJobs.PyTorch(duration: "60s");
        await h.DispatchAsync(job);
        await h.Sink.WaitForAsync(job.Id, JobState.Running);
        await h.Backend.DisposeAsync();
        await h.Sink.ReportAsync(new(job.Id, JobState.Cancelling, "cancel requested"), CancellationToken.None);

        await h.Connect().ResumeAsync([job with { State = JobState.Cancelling }], CancellationToken.None);

        await h.Sink.WaitForAsync(job.Id, JobState.Cancelled);
        Assert.Null(await h.Admin.ResourceAsync(job));
    }
}
