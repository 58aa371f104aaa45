using Gantry.Storage;
using Prometheus;

namespace Gantry.Server.Monitoring;

/// <summary>
/// Experiments by state and trials by state (counted in the store at scrape time, so every replica
/// shows the same), and the early stops this replica's controller made.
/// </summary>
public sealed class ExperimentMetrics(IMetricFactory factory, IGantryStore store) : IScrapeUpdater
{
    private readonly Gauge _experiments = factory.CreateGauge("gantry_experiments", "Stored tuning experiments by state (Katib's names).", ["state"]);
    private readonly Gauge _trials = factory.CreateGauge("gantry_experiment_trials", "Stored trials of tuning experiments by state (Katib's names).", ["state"]);
    private readonly Counter _earlyStops = factory.CreateCounter("gantry_experiment_early_stops_total", "Trials stopped early by medianstop.");
    private readonly Counter _trialsCreated = factory.CreateCounter("gantry_experiment_trials_created_total", "Trials this replica's controller created.");

    public void EarlyStopped() => _earlyStops.Inc();

    public void TrialsCreated(int count) => _trialsCreated.Inc(count);

    public async Task UpdateAsync(CancellationToken cancellationToken)
    {
        var counts = await store.Experiments.CountAsync(cancellationToken);
        GaugeSeries.Replace(_experiments, counts.Experiments.Select(c => (new[] { c.Key }, (double)c.Value)));
        GaugeSeries.Replace(_trials, counts.Trials.Select(c => (new[] { c.Key }, (double)c.Value)));
    }
}
