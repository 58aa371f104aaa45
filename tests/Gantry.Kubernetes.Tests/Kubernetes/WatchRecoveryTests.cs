using Gantry.Core.Jobs;
using Gantry.Kubernetes.Tests.Support;

namespace Gantry.Kubernetes.Tests.Kubernetes;

/// <summary>
/// The informers recover from a cut watch and from an expired resourceVersion without losing a
/// transition. The resync is an hour away, so only the watch loop itself can recover.
/// </summary>
public sealed class WatchRecoveryTests
{
    [Fact]
    public async Task Dropped_watches_reconnect_from_the_last_version_without_losing_a_transition()
    {
        await using var h = await BackendHarness.StartAsync(o => o with { Resync = TimeSpan.FromHours(1) });
        var job = KubeJobs.Spark(duration: "3s");
        await h.DispatchAsync(job);

        for (var i = 0; i < 12 && h.Sink.StateOf(job.Id) != JobState.Succeeded; i++)
        {
            h.Cluster.Faults.DropWatches();
            await Task.Delay(400);
        }

        await h.Sink.WaitForAsync(job.Id, JobState.Succeeded);
        Assert.Equal([JobState.Submitted, JobState.Running, JobState.Succeeded], h.Sink.States(job.Id));
    }

    [Fact]
    public async Task An_expired_version_relists_without_losing_a_transition()
    {
        await using var h = await BackendHarness.StartAsync(o => o with { Resync = TimeSpan.FromHours(1) });
        var job = KubeJobs.PyTorch(duration: "3s");
        await h.DispatchAsync(job);
        await h.Sink.WaitForAsync(job.Id, JobState.Running);

        // The cut forces a re-watch from the last version, which the expired history no longer has.
        h.Cluster.Faults.ExpireHistory();
        h.Cluster.Faults.DropWatches();

        await h.Sink.WaitForAsync(job.Id, JobState.Succeeded);
        Assert.Equal([JobState.Submitted, JobState.Running, JobState.Succeeded], h.Sink.States(job.Id));
    }

    [Fact]
    public async Task A_transition_missed_while_the_api_server_was_down_is_caught_up()
    {
        await using var h = await BackendHarness.StartAsync(o => o with { Resync = TimeSpan.FromHours(1) });
        var job = KubeJobs.Jax(duration: "1s");
        await h.DispatchAsync(job);
        await h.Sink.WaitForAsync(job.Id, JobState.Running);

        await h.Cluster.StopAsync();
        await Task.Delay(2000);
        await h.Cluster.RestartAsync();

        await h.Sink.WaitForAsync(job.Id, JobState.Succeeded);
    }
}
