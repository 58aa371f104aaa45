using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gantry.Monitoring.Tests.Support;
using Gantry.Testing;

namespace Gantry.Monitoring.Tests.Monitoring;

/// <summary>/metrics of a real gateway that runs real jobs, read as Prometheus reads it.</summary>
public sealed class MetricsEndpointTests(MonitoredGatewayFixture fixture) : IClassFixture<MonitoredGatewayFixture>
{
    private readonly TestGateway _gateway = fixture.Gateway;

    [Fact]
    public async Task Live_output_passes_promtool_check_metrics_after_jobs_ran()
    {
        using var client = _gateway.Client();
        var queue = await CreateQueueAsync(client);
        var ok = await client.SubmitAsync(TestJobs.Shell("echo ok", queue));
        var failing = await client.SubmitAsync(TestJobs.Shell("exit 3", queue));
        await client.WaitForEndAsync(ok.Id());
        await client.WaitForEndAsync(failing.Id());
        await _gateway.ScrapeUntilAsync(s => s.Value("gantry_jobs", ("state", "Failed"), ("queue", queue)) == 1, "the failed job counted");

        var text = await _gateway.ScrapeTextAsync();
        var (exitCode, output) = await Tool.RunAsync(Tool.Promtool, ["check", "metrics"], stdin: text);

        Assert.True(exitCode == 0, $"promtool check metrics failed:\n{output}");
        Assert.Contains("gantry_job_submissions_total{", text);
        Assert.Contains("http_request_duration_seconds_bucket{", text);
        Assert.Contains("process_cpu_seconds_total", text);
    }

    [Fact]
    public async Task Metrics_is_anonymous_in_the_text_format_and_holds_no_token()
    {
        using var anonymous = _gateway.AnonymousClient();

        using var response = await anonymous.GetAsync("metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        Assert.Contains("version=0.0.4", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(_gateway.AdminToken, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_label_value_is_a_job_id_name_or_label()
    {
        using var client = _gateway.Client();
        var queue = await CreateQueueAsync(client);
        var envelope = TestJobs.Shell("echo labelled", queue, labels: new JsonObject { ["team"] = "secret-team-x" });
        envelope["name"] = "name-never-a-label";
        var jobs = new List<JsonObject>();
        for (var i = 0; i < 3; i++)
        {
            jobs.Add(await client.SubmitAsync(envelope.DeepClone().AsObject()));
        }
        foreach (var job in jobs)
        {
            await client.WaitForEndAsync(job.Id());
            // Every route that carries the id, so that the HTTP metrics see each one.
            foreach (var path in new[] { "", "/events", "/explain", "/logs", "/metrics", "/does-not-exist" })
            {
                (await client.GetAsync($"api/v1/jobs/{job.Id()}{path}")).Dispose();
            }
        }
        (await client.GetAsync("api/v1/jobs/nosuchjob000")).Dispose();
        await _gateway.ScrapeUntilAsync(s => s.Value("gantry_jobs", ("state", "Succeeded"), ("queue", queue)) == 3, "the jobs counted");

        var samples = await _gateway.ScrapeAsync();
        var values = samples.SelectMany(s => s.Labels.Values).ToHashSet(StringComparer.Ordinal);

        Assert.Contains(queue, values);
        Assert.Contains("/api/v1/jobs/{id}", values);
        foreach (var id in jobs.Select(j => j.Id()).Append("nosuchjob000"))
        {
            Assert.DoesNotContain(values, v => v.Contains(id, StringComparison.Ordinal));
        }
        Assert.DoesNotContain(values, v => v.Contains("name-never-a-label", StringComparison.Ordinal) || v.Contains("secret-team-x", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Submissions_dispatches_counts_and_times_follow_the_jobs()
    {
        using var client = _gateway.Client();
        var queue = await CreateQueueAsync(client);
        var jobs = new[] { "echo one", "echo two", "exit 1" };
        foreach (var script in jobs)
        {
            await client.WaitForEndAsync((await client.SubmitAsync(TestJobs.Shell(script, queue))).Id());
        }

        var samples = await _gateway.ScrapeUntilAsync(
            s => s.Value("gantry_jobs", ("state", "Succeeded"), ("queue", queue)) == 2 && s.Value("gantry_jobs", ("state", "Failed"), ("queue", queue)) == 1,
            "two succeeded and one failed");

        Assert.Equal(3, samples.Value("gantry_job_submissions_total", ("kind", "Command"), ("queue", queue)));
        Assert.Equal(3, samples.Value("gantry_job_dispatches_total", ("kind", "Command"), ("queue", queue), ("cluster", "local")));
        Assert.Null(samples.Value("gantry_job_dispatch_errors_total", ("queue", queue)));
        Assert.Equal(3, samples.Value("gantry_job_queue_wait_seconds_count", ("queue", queue)));
        Assert.Equal(3, samples.Value("gantry_job_run_seconds_count", ("queue", queue)));
        Assert.Equal(3, samples.Value("gantry_job_run_seconds_bucket", ("queue", queue), ("le", "+Inf")));
        Assert.True(samples.Value("gantry_cluster_jobs", ("cluster", "local"), ("state", "Succeeded")) >= 2);
        Assert.True(samples.Value("gantry_scheduler_round_duration_seconds_count") > 0);
        Assert.True(samples.Value("gantry_scheduler_round_placed_jobs_sum") >= 3);
    }

    [Fact]
    public async Task Waiting_jobs_are_counted_by_queue_and_reason()
    {
        using var client = _gateway.Client();
        var queue = await CreateQueueAsync(client);
        await _gateway.SetCordonAsync(true);
        try
        {
            var first = await client.SubmitAsync(TestJobs.Shell("echo wait", queue));
            var second = await client.SubmitAsync(TestJobs.Shell("echo wait", queue));

            var samples = await _gateway.ScrapeUntilAsync(s => s.Value("gantry_jobs_waiting", ("queue", queue), ("reason", "Cordoned")) == 2, "two jobs waiting on a cordon");

            Assert.Equal(1, samples.Value("gantry_cluster_cordoned", ("cluster", "local")));
            await client.PostAsync($"api/v1/jobs/{first.Id()}/cancel", null);
            await client.PostAsync($"api/v1/jobs/{second.Id()}/cancel", null);
            await _gateway.ScrapeUntilAsync(s => s.Value("gantry_jobs_waiting", ("queue", queue), ("reason", "Cordoned")) is null, "the cancelled jobs gone from the waiting count");
        }
        finally
        {
            await _gateway.SetCordonAsync(false);
        }
    }

    [Fact]
    public async Task Clusters_and_queues_show_capacity_quota_usage_and_fair_share()
    {
        // Free capacity and the pool's shares count every job of the gateway: this one has only this test's.
        await using var gateway = await MonitoredGatewayFixture.StartGatewayAsync();
        using var client = gateway.Client();
        var queue = await CreateQueueAsync(client, weight: 3, quota: new { cpu = "2", runningJobs = 5 });
        var job = await client.SubmitAsync(TestJobs.Shell("sleep 600", queue, cpu: "1", memory: "64Mi"));
        try
        {
            await client.WaitForStateAsync(job.Id(), TimeSpan.FromSeconds(60), "Running");

            // The cluster and queue gauges each show the last scheduling round they saw, so wait for both to see the job.
            var samples = await gateway.ScrapeUntilAsync(
                s => s.Value("gantry_queue_used_cpu_cores", ("queue", queue)) == 1 && s.Value("gantry_cluster_free_cpu_cores", ("cluster", "local")) < 4,
                "the running job's cpu in its queue and on its cluster");

            Assert.Equal(4, samples.Value("gantry_cluster_capacity_cpu_cores", ("cluster", "local")));
            Assert.Equal(8L << 30, samples.Value("gantry_cluster_capacity_memory_bytes", ("cluster", "local")));
            Assert.Equal(0, samples.Value("gantry_cluster_capacity_gpus", ("cluster", "local")));
            Assert.Equal(3, samples.Value("gantry_cluster_free_cpu_cores", ("cluster", "local")));
            Assert.Equal(1, samples.Value("gantry_cluster_healthy", ("cluster", "local")));
            Assert.Equal(0, samples.Value("gantry_cluster_cordoned", ("cluster", "local")));
            Assert.Equal(64L << 20, samples.Value("gantry_queue_used_memory_bytes", ("queue", queue)));
            Assert.Equal(1, samples.Value("gantry_queue_started_jobs", ("queue", queue)));
            Assert.Equal(2, samples.Value("gantry_queue_quota_cpu_cores", ("queue", queue)));
            Assert.Equal(5, samples.Value("gantry_queue_quota_started_jobs", ("queue", queue)));
            Assert.Null(samples.Value("gantry_queue_quota_memory_bytes", ("queue", queue)));
            Assert.Equal(3, samples.Value("gantry_queue_weight", ("queue", queue)));
            // One of the pool's 4 cores is its dominant share; it is the only queue holding anything.
            Assert.Equal(0.25, samples.Value("gantry_queue_dominant_share", ("queue", queue)));
            Assert.Equal(1, samples.Value("gantry_queue_fair_share_entitlement", ("queue", queue)));
            Assert.Equal(0, samples.Value("gantry_queue_fair_share_entitlement", ("queue", "default")));
        }
        finally
        {
            await client.PostAsync($"api/v1/jobs/{job.Id()}/cancel", null);
            await client.WaitForEndAsync(job.Id());
        }
    }

    [Fact]
    public async Task A_deleted_queue_stops_being_exported()
    {
        using var client = _gateway.Client();
        var queue = await CreateQueueAsync(client, weight: 2);
        await _gateway.ScrapeUntilAsync(s => s.Value("gantry_queue_weight", ("queue", queue)) == 2, "the new queue");

        (await client.DeleteAsync($"api/v1/queues/{queue}")).EnsureSuccessStatusCode();

        await _gateway.ScrapeUntilAsync(s => s.Value("gantry_queue_weight", ("queue", queue)) is null, "the deleted queue gone");
    }

    private static async Task<string> CreateQueueAsync(HttpClient client, double weight = 1, object? quota = null)
    {
        var name = "m" + Guid.NewGuid().ToString("N")[..10];
        var response = await client.PostAsJsonAsync("api/v1/queues", new { name, weight, quota = quota ?? new { } });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return name;
    }
}
