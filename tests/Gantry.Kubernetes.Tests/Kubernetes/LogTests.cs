using System.Text;
using Gantry.Backends;
using Gantry.Core.Jobs;
using Gantry.Kubernetes.Tests.Support;

namespace Gantry.Kubernetes.Tests.Kubernetes;

/// <summary>Logs from the replicas' pods: the default replica, another one by name, follow, tail, unknown replicas.</summary>
public sealed class LogTests(DispatchTests.Fixture cluster) : IClassFixture<DispatchTests.Fixture>
{
    private BackendHarness H => cluster.Harness;

    private async Task<string> LogAsync(Job job, LogRequest request)
    {
        using var output = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await H.Backend.CopyLogAsync(job, request, output, timeout.Token);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    [Fact]
    public async Task Following_the_driver_streams_until_it_ends()
    {
        var job = KubeJobs.Spark(duration: "2s");
        await H.DispatchAsync(job);

        var log = await LogAsync(job with { State = JobState.Submitted }, new LogRequest(Follow: true));

        Assert.Contains("SparkContext: Running Spark version", log, StringComparison.Ordinal);
        Assert.True(log.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length >= 3, $"a 2 s driver writes several lines, got: {log}");
    }

    [Fact]
    public async Task A_training_job_shows_master_0_by_default_and_another_replica_by_name()
    {
        var job = KubeJobs.PyTorch(duration: "30s", workers: 2);
        await H.DispatchAsync(job);
        await H.Sink.WaitForAsync(job.Id, JobState.Running);

        // The pods write their first lines a moment after the job runs: wait for them rather than a guessed time.
        string master = "", worker = "";
        await ClusterLookups.EventuallyAsync(async () =>
        {
            master = await LogAsync(job, new LogRequest());
            worker = await LogAsync(job, new LogRequest(Replica: "worker-1", Tail: 1));
            return master.Contains("[master-0]", StringComparison.Ordinal) && worker.Contains("[worker-1]", StringComparison.Ordinal);
        }, "both replicas' first log lines");

        Assert.Contains("[master-0]", master, StringComparison.Ordinal);
        Assert.Contains("[worker-1]", worker, StringComparison.Ordinal);
        Assert.Single(worker.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task An_unknown_replica_is_refused_naming_the_ones_there_are()
    {
        var job = KubeJobs.Jax(duration: "1s");

        var refused = await Assert.ThrowsAsync<UnknownReplicaException>(() => LogAsync(job, new LogRequest(Replica: "worker-7")));

        Assert.Contains("worker-0, worker-1", refused.Message, StringComparison.Ordinal);
    }
}
