using Gantry.Server.Options;
using Gantry.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Gantry.Server.Monitoring;

/// <summary>
/// Stored jobs by state, kind and queue, and by cluster and state, from one GROUP BY over all jobs.
/// The counts come from the store, not from this process's transitions, so they stay right with
/// several gateways on one database. A scrape never waits for the query once a count exists: a count
/// older than <see cref="MetricsOptions.JobCountsMaxAgeMilliseconds"/> is refreshed in the background
/// and the scrape shows the last one.
/// </summary>
/// <remarks>
/// Two gauges instead of one with all four labels: state x kind x queue x cluster would be up to
/// 8 x 4 x 50 x 100 series for 50 queues and 100 clusters.
/// </remarks>
public sealed partial class JobCountGauges : IScrapeUpdater
{
    private readonly IGantryStore _store;
    private readonly TimeProvider _time;
    private readonly TimeSpan _maxAge;
    private readonly CancellationToken _stopping;
    private readonly ILogger<JobCountGauges> _logger;
    private readonly Gauge _jobs;
    private readonly Gauge _clusterJobs;
    private readonly Lock _lock = new();
    private Task? _refresh;
    private DateTimeOffset _refreshedAt = DateTimeOffset.MinValue;

    public JobCountGauges(
        IMetricFactory factory, IGantryStore store, IOptions<GantryOptions> options, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<JobCountGauges> logger)
    {
        _store = store;
        _time = time;
        _maxAge = TimeSpan.FromMilliseconds(options.Value.Metrics.JobCountsMaxAgeMilliseconds);
        _stopping = lifetime.ApplicationStopping;
        _logger = logger;
        _jobs = factory.CreateGauge("gantry_jobs", "Stored jobs by state, kind and queue.", ["state", "kind", "queue"]);
        _clusterJobs = factory.CreateGauge("gantry_cluster_jobs", "Stored jobs placed on a cluster, by cluster and state.", ["cluster", "state"]);
    }

    public async Task UpdateAsync(CancellationToken cancellationToken)
    {
        Task? refresh;
        bool first;
        lock (_lock)
        {
            first = _refreshedAt == DateTimeOffset.MinValue;
            // A finished refresh may have finished synchronously (SQLite answers inline): test IsCompleted, not null.
            if (_refresh is not { IsCompleted: false } && _time.GetUtcNow() - _refreshedAt >= _maxAge)
            {
                _refresh = RefreshAsync();
            }
            refresh = _refresh;
        }
        if (first && refresh is not null)
        {
            // Nothing to show yet: the first scrape waits for the first count.
            await refresh.WaitAsync(cancellationToken);
        }
    }

    private async Task RefreshAsync()
    {
        try
        {
            var counts = await _store.Jobs.CountGroupsAsync(_stopping);
            GaugeSeries.Replace(_jobs, counts
                .GroupBy(c => (c.State, c.Kind, c.Queue))
                .Select(g => (new[] { g.Key.State.ToString(), g.Key.Kind, g.Key.Queue }, (double)g.Sum(c => c.Count))));
            GaugeSeries.Replace(_clusterJobs, counts
                .Where(c => c.Cluster is not null)
                .GroupBy(c => (Cluster: c.Cluster!, c.State))
                .Select(g => (new[] { g.Key.Cluster, g.Key.State.ToString() }, (double)g.Sum(c => c.Count))));
            lock (_lock)
            {
                _refreshedAt = _time.GetUtcNow();
            }
        }
        catch (Exception ex) when (!_stopping.IsCancellationRequested)
        {
            // The last counts stay; the next scrape tries again.
            LogCountFailed(ex);
        }
        catch (OperationCanceledException)
        {
            // The gateway is stopping.
        }
    }
}
