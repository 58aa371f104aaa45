using Gantry.Server.Replication;
using Prometheus;

namespace Gantry.Server.Monitoring;

/// <summary>
/// The lease as each replica sees it: whether it leads (read at scrape time), how often leadership
/// changed hands here, and how long renewals take and how often they fail.
/// </summary>
public sealed class LeaderMetrics : IScrapeUpdater
{
    private readonly Leadership _leadership;
    private readonly Gauge _leader;
    private readonly Gauge _epoch;
    private readonly Counter _changes;
    private readonly Histogram _renewals;
    private readonly Counter _failures;

    public LeaderMetrics(IMetricFactory factory, Leadership leadership)
    {
        _leadership = leadership;
        _leader = factory.CreateGauge("gantry_leader", "1 while this replica leads (holds the lease and acts), else 0.", ["replica"]);
        _epoch = factory.CreateGauge("gantry_leader_epoch", "The lease epoch of this replica's current or last term (0: never led).");
        _changes = factory.CreateCounter(
            "gantry_leader_changes_total", "Terms this replica began (became leader) or ended (stopped acting), by direction.", ["direction"]);
        _renewals = factory.CreateHistogram(
            "gantry_lease_renew_duration_seconds",
            "Time one try to take or renew the lease took, successful or not.",
            new HistogramConfiguration { Buckets = MetricBuckets.LeaseRenewSeconds });
        _failures = factory.CreateCounter(
            "gantry_lease_renew_failures_total", "Tries to take or renew the lease that failed (the database did not answer in time or refused).");
        _leader.WithLabels(leadership.Identity.Id).Set(0);
        _changes.WithLabels("began");
        _changes.WithLabels("ended");
    }

    public void Began(long epoch)
    {
        _changes.WithLabels("began").Inc();
        _epoch.Set(epoch);
    }

    public void Ended() => _changes.WithLabels("ended").Inc();

    public void Renewed(TimeSpan took) => _renewals.Observe(took.TotalSeconds);

    public void RenewFailed(TimeSpan took)
    {
        _renewals.Observe(took.TotalSeconds);
        _failures.Inc();
    }

    public Task UpdateAsync(CancellationToken cancellationToken)
    {
        _leader.WithLabels(_leadership.Identity.Id).Set(_leadership.IsLeader ? 1 : 0);
        return Task.CompletedTask;
    }
}
