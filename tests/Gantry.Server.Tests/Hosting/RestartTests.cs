using Gantry.Testing;

namespace Gantry.Server.Tests.Hosting;

/// <summary>What survives a gateway restart: every job and event, running jobs (re-attached), queued jobs (still run).</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task A_job_running_across_a_restart_is_reattached_and_finishes_with_its_full_log()
    {
        await using var gateway = await TestGateway.StartAsync();
        var client = gateway.Client();
        // The job goes on only once the new gateway is up, so it certainly runs across the restart.
        var go = Path.Combine(Path.GetTempPath(), "gantry-go-" + Guid.NewGuid().ToString("N"));
        var job = await client.SubmitAsync(TestJobs.Shell($"echo before; while [ ! -e {go} ]; do sleep 0.1; done; echo after"));
        await client.WaitForStateAsync(job.Id(), TimeSpan.FromSeconds(60), "Running");

        await gateway.RestartAsync();
        await File.WriteAllTextAsync(go, "");
        client = gateway.Client();
        var done = await client.WaitForEndAsync(job.Id());
        File.Delete(go);

        Assert.Equal("Succeeded", done.State());
        Assert.Equal("before\nafter\n", await client.GetStringAsync($"api/v1/jobs/{job.Id()}/logs"));
        var events = await client.GetStringAsync($"api/v1/jobs/{job.Id()}/events");
        Assert.Contains("\"to\":\"Running\"", events, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_that_ended_while_the_gateway_was_down_gets_its_real_exit_code()
    {
        await using var gateway = await TestGateway.StartAsync();
        var client = gateway.Client();
        var go = Path.Combine(Path.GetTempPath(), "gantry-go-" + Guid.NewGuid().ToString("N"));
        var job = await client.SubmitAsync(TestJobs.Shell($"while [ ! -e {go} ]; do sleep 0.1; done; exit 7"));
        await client.WaitForStateAsync(job.Id(), TimeSpan.FromSeconds(60), "Running");

        await gateway.StopAsync();
        await File.WriteAllTextAsync(go, "");
        // The job's shell writes its exit code itself: wait for it, so the job certainly ended while the gateway was down.
        var exitFile = Path.Combine(gateway.DataDir, "jobs", job.Id(), "exit_code");
        await Polling.UntilAsync(() => File.Exists(exitFile) && File.ReadAllText(exitFile).Trim().Length > 0, "the job's exit code on disk");
        await gateway.RestartAsync();
        var done = await gateway.Client().WaitForEndAsync(job.Id());
        File.Delete(go);

        Assert.Equal("Failed", done.State());
        Assert.Equal("exit code 7", done["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_job_whose_process_died_with_the_gateway_is_marked_failed_with_the_reason()
    {
        await using var gateway = await TestGateway.StartAsync();
        var client = gateway.Client();
        var job = await client.SubmitAsync(TestJobs.Shell("sleep 600"));
        await client.WaitForStateAsync(job.Id(), TimeSpan.FromSeconds(60), "Running");

        await gateway.StopAsync();
        // The machine-level view of "the gateway died and took the job with it": the process group is gone, no exit code was written.
        var pid = int.Parse(await File.ReadAllTextAsync(Path.Combine(gateway.DataDir, "jobs", job.Id(), "pid")));
        using (var kill = System.Diagnostics.Process.Start("kill", ["-KILL", "--", $"-{pid}"]))
        {
            await kill.WaitForExitAsync();
        }
        await Polling.UntilAsync(() => Polling.ProcessIsGone(pid), $"the job's process {pid} to die");
        await gateway.RestartAsync();
        var done = await gateway.Client().WaitForEndAsync(job.Id());

        Assert.Equal("Failed", done.State());
        Assert.Equal("gateway restarted while the job ran", done["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Queued_jobs_and_their_events_survive_a_restart_and_still_run()
    {
        await using var gateway = await TestGateway.StartAsync();
        await gateway.SetCordonAsync(true);
        var client = gateway.Client();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await client.SubmitAsync(TestJobs.Shell($"echo {i}"))).Id());
        }

        await gateway.RestartAsync();
        await gateway.SetCordonAsync(false);
        client = gateway.Client();

        foreach (var id in ids)
        {
            Assert.Equal("Succeeded", (await client.WaitForEndAsync(id)).State());
        }
    }

    [Fact]
    public async Task The_admin_token_is_created_once_and_still_works_after_a_restart()
    {
        await using var gateway = await TestGateway.StartAsync();
        var first = gateway.AdminToken;

        await gateway.RestartAsync();

        Assert.Equal(first, gateway.AdminToken);
        Assert.Equal(first, gateway.BootstrappedToken);
        Assert.True((await gateway.Client(first).GetAsync("api/v1/jobs")).IsSuccessStatusCode);
    }
}
