using Gantry.Core.Scheduling;
using Gantry.Server.Scheduling;
using Prometheus;

namespace Gantry.Server.Monitoring;

/// <summary>
/// The scheduler's rounds: how long each took and how many jobs it placed or rejected, as they
/// happen; and, at each scrape, how many jobs the last round left waiting, by queue and reason.
/// </summary>
public sealed class SchedulerMetrics : IScrapeUpdater
{
    private readonly LastRound _lastRound;
    private readonly Histogram _duration;
    private readonly Histogram _placed;
    private readonly Counter _rejections;
    private readonly Gauge _lastRoundTime;
    private readonly Gauge _waiting;
    private readonly Lock _lock = new();
    private LastRound.Round? _counted;

    public SchedulerMetrics(IMetricFactory factory, LastRound lastRound)
    {
        _lastRound = lastRound;
        _duration = factory.CreateHistogram(
            "gantry_scheduler_round_duration_seconds",
            "Time one scheduling round took to decide (the pure round, without dispatching).",
            new HistogramConfiguration { Buckets = MetricBuckets.RoundSeconds });
        _placed = factory.CreateHistogram(
            "gantry_scheduler_round_placed_jobs",
            "Jobs placed by one scheduling round.",
            new HistogramConfiguration { Buckets = MetricBuckets.PlacedJobs });
        _rejections = factory.CreateCounter(
            "gantry_scheduler_rejections_total", "Jobs failed by the scheduler because they can never run (too large, over quota, no matching cluster).", ["queue"]);
        _lastRoundTime = factory.CreateGauge(
            "gantry_scheduler_last_round_timestamp_seconds", "When the last scheduling round ran, in Unix seconds.");
        _waiting = factory.CreateGauge(
            "gantry_jobs_waiting",
            "Queued jobs the last round considered and left waiting, by the reason for the most hopeful cluster. " +
            "A round looks at the head of each queue only (Gantry:Scheduler:QueueWindow).",
            ["queue", "reason"]);
    }

    public void RoundCompleted(SchedulingSnapshot snapshot, SchedulingResult result, TimeSpan duration)
    {
        _duration.Observe(duration.TotalSeconds);
        _placed.Observe(result.Placements.Count);
        var queues = snapshot.Jobs.ToDictionary(j => j.Id, j => j.Queue, StringComparer.Ordinal);
        foreach (var rejection in result.Rejections)
        {
            _rejections.WithLabels(queues.GetValueOrDefault(rejection.JobId, "")).Inc();
        }
        _lastRoundTime.Set(snapshot.Now.ToUnixTimeMilliseconds() / 1000.0);
    }

    /// <summary>Counts the last round's waiting jobs once per round, however often Prometheus scrapes.</summary>
    public Task UpdateAsync(CancellationToken cancellationToken)
    {
        var round = _lastRound.Current;
        lock (_lock)
        {
            if (round is null || ReferenceEquals(round, _counted))
            {
                return Task.CompletedTask;
            }
            _counted = round;
            var series = round.Result.Waiting.Values
                .GroupBy(w => (w.Queue, w.Code))
                .Select(g => (new[] { g.Key.Queue, g.Key.Code.ToString() }, (double)g.Count()));
            GaugeSeries.Replace(_waiting, series);
        }
        return Task.CompletedTask;
    }
}
