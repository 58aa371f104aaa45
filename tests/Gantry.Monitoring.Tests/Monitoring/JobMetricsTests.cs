using Gantry.Core.Jobs;
using Gantry.Core.Resources;
using Gantry.Monitoring.Tests.Support;
using Gantry.Server.Monitoring;
using Prometheus;

namespace Gantry.Monitoring.Tests.Monitoring;

/// <summary>What each stored transition adds to the job counters and histograms, read back in the text format.</summary>
public sealed class JobMetricsTests
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();
    private readonly JobMetrics _metrics;

    public JobMetricsTests() => _metrics = new JobMetrics(Metrics.WithCustomRegistry(_registry));

    [Fact]
    public async Task A_retryable_dispatch_failure_counts_an_error_and_a_retry_and_the_wait_once_until_the_job_runs()
    {
        var queued = NewJob();
        var placed = Move(queued, JobState.Dispatching, T0.AddSeconds(42));
        _metrics.Changed(queued, placed);
        _metrics.DispatchFailed(placed, "east", retryable: true);
        var requeued = Move(placed, JobState.Queued, T0.AddSeconds(43));
        _metrics.Changed(placed, requeued);
        var placedAgain = Move(requeued, JobState.Dispatching, T0.AddSeconds(50));
        _metrics.Changed(requeued, placedAgain);
        _metrics.Dispatched(placedAgain, "west");
        var submitted = Move(placedAgain, JobState.Submitted, T0.AddSeconds(51));
        _metrics.Changed(placedAgain, submitted);
        _metrics.Changed(submitted, Move(submitted, JobState.Running, T0.AddSeconds(54)));

        var samples = await SamplesAsync();

        Assert.Equal(1, samples.Value("gantry_job_dispatch_errors_total", ("kind", "PyTorchJob"), ("queue", "ml"), ("cluster", "east"), ("retryable", "true")));
        Assert.Equal(1, samples.Value("gantry_job_retries_total", ("kind", "PyTorchJob"), ("queue", "ml")));
        Assert.Equal(1, samples.Value("gantry_job_dispatches_total", ("kind", "PyTorchJob"), ("queue", "ml"), ("cluster", "west")));
        Assert.Null(samples.Value("gantry_job_dispatches_total", ("cluster", "east")));
        Assert.Equal(1, samples.Value("gantry_job_queue_wait_seconds_count", ("queue", "ml")));
        Assert.Equal(54, samples.Value("gantry_job_queue_wait_seconds_sum", ("queue", "ml")));
        Assert.Equal(0, samples.Value("gantry_job_queue_wait_seconds_bucket", ("queue", "ml"), ("le", "30")));
        Assert.Equal(1, samples.Value("gantry_job_queue_wait_seconds_bucket", ("queue", "ml"), ("le", "60")));
    }

    [Fact]
    public async Task Run_time_is_observed_when_a_job_that_ran_ends_and_not_for_one_cancelled_while_queued()
    {
        var running = Move(Move(Move(NewJob(), JobState.Dispatching, T0), JobState.Submitted, T0.AddSeconds(1)), JobState.Running, T0.AddSeconds(5));
        var done = Move(running, JobState.Succeeded, T0.AddSeconds(125));
        _metrics.Changed(running, done);
        var waiting = NewJob();
        _metrics.Changed(waiting, Move(waiting, JobState.Cancelled, T0.AddSeconds(3)));

        var samples = await SamplesAsync();

        Assert.Equal(1, samples.Value("gantry_job_run_seconds_count", ("queue", "ml")));
        Assert.Equal(120, samples.Value("gantry_job_run_seconds_sum", ("queue", "ml")));
        Assert.Null(samples.Value("gantry_job_retries_total", ("queue", "ml")));
    }

    private static Job NewJob() => new()
    {
        Id = JobId.New(),
        Name = "train",
        Kind = "PyTorchJob",
        Queue = "ml",
        Owner = "ann",
        Manifest = "{}",
        Demand = ResourceDemand.None,
        CreatedAt = T0,
        UpdatedAt = T0,
    };

    private static Job Move(Job job, JobState to, DateTimeOffset at) => job.TransitionTo(to, "test", at).Job;

    private async Task<IReadOnlyList<Sample>> SamplesAsync()
    {
        using var stream = new MemoryStream();
        await _registry.CollectAndExportAsTextAsync(stream);
        return Exposition.Parse(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}
