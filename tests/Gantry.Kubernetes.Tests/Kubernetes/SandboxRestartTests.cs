using Gantry.Backends.Kubernetes;
using Gantry.Core.Jobs;
using Gantry.Kubernetes.Tests.Support;

namespace Gantry.Kubernetes.Tests.Kubernetes;

/// <summary>On an in-memory sandbox cluster a vanished resource is blamed on the sandbox restarting empty.</summary>
public sealed class SandboxRestartTests
{
    [Fact]
    public async Task A_resource_gone_from_a_sandbox_cluster_fails_the_job_saying_the_sandbox_restarted_empty()
    {
        await using var h = await BackendHarness.StartAsync(o => o with { InMemorySandbox = true });
        var job = KubeJobs.Spark(duration: "60s");
        await h.DispatchAsync(job);
        await h.Sink.WaitForAsync(job.Id, JobState.Running);

        await h.Admin.DeleteResourceAsync(job);

        var failed = await h.Sink.WaitForAsync(job.Id, JobState.Failed);
        Assert.Equal(JobStatusReporter.SandboxRestartedEmpty, failed.Reason);
        Assert.Contains("the sandbox cluster restarted empty", failed.Reason, StringComparison.Ordinal);
    }
}
