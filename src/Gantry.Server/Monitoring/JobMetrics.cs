using Gantry.Core.Jobs;
using Prometheus;

namespace Gantry.Server.Monitoring;

/// <summary>
/// Counters and histograms of what happens to jobs, fed by <c>JobSubmitter</c> and <c>JobLifecycle</c>
/// as it happens. Labels are kind, queue and cluster only: never a job's id, name or labels.
/// </summary>
public sealed class JobMetrics
{
    private readonly Counter _submissions;
    private readonly Counter _dispatches;
    private readonly Counter _dispatchErrors;
    private readonly Counter _retries;
    private readonly Histogram _queueWait;
    private readonly Histogram _run;

    public JobMetrics(IMetricFactory factory)
    {
        _submissions = factory.CreateCounter(
            "gantry_job_submissions_total", "Jobs accepted and stored (an idempotent replay is not counted).", ["kind", "queue"]);
        _dispatches = factory.CreateCounter(
            "gantry_job_dispatches_total", "Jobs a cluster's backend accepted (created, started or adopted).", ["kind", "queue", "cluster"]);
        _dispatchErrors = factory.CreateCounter(
            "gantry_job_dispatch_errors_total",
            "Dispatches that failed; a retryable failure puts the job back in its queue, any other fails it.",
            ["kind", "queue", "cluster", "retryable"]);
        _retries = factory.CreateCounter(
            "gantry_job_retries_total", "Jobs put back in their queue after being placed, to be placed again.", ["kind", "queue"]);
        _queueWait = factory.CreateHistogram(
            "gantry_job_queue_wait_seconds",
            "Time from submission until the job first ran (its first Running), across any placements sent back before it started.",
            new HistogramConfiguration { LabelNames = ["queue"], Buckets = MetricBuckets.QueueWaitSeconds });
        _run = factory.CreateHistogram(
            "gantry_job_run_seconds",
            "Time from Running to the end, of jobs that ran.",
            new HistogramConfiguration { LabelNames = ["queue"], Buckets = MetricBuckets.RunSeconds });
    }

    public void Submitted(Job job) => _submissions.WithLabels(job.Kind, job.Queue).Inc();

    public void Dispatched(Job job, string cluster) => _dispatches.WithLabels(job.Kind, job.Queue, cluster).Inc();

    public void DispatchFailed(Job job, string cluster, bool retryable) =>
        _dispatchErrors.WithLabels(job.Kind, job.Queue, cluster, retryable ? "true" : "false").Inc();

    /// <summary>A stored change of state, from <paramref name="before"/> to <paramref name="after"/>.</summary>
    public void Changed(Job before, Job after)
    {
        if (before.State == after.State)
        {
            return;
        }
        // Attempts count starts: the first Running is the end of the job's first wait, however
        // often it was placed and sent back before it started.
        if (after.State == JobState.Running && after.Attempts == 1 && after.StartedAt is { } started)
        {
            _queueWait.WithLabels(after.Queue).Observe(Seconds(started - after.CreatedAt));
        }
        else if (after.State == JobState.Queued)
        {
            _retries.WithLabels(after.Kind, after.Queue).Inc();
        }
        if (after.IsTerminal && before.StartedAt is { } ran && after.FinishedAt is { } finished)
        {
            _run.WithLabels(after.Queue).Observe(Seconds(finished - ran));
        }
    }

    private static double Seconds(TimeSpan span) => Math.Max(0, span.TotalSeconds);
}
