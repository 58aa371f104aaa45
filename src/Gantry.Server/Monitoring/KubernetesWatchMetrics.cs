using System.Diagnostics.Metrics;
using Gantry.Backends.Kubernetes;
using Prometheus;

namespace Gantry.Server.Monitoring;

/// <summary>
/// Turns the Kubernetes informers' <see cref="WatchInstruments"/> counters into Prometheus counters.
/// Only instruments made by this gateway's own <see cref="IMeterFactory"/> are heard, so two gateways
/// in one process (tests, benchmarks) do not count each other's watches.
/// </summary>
public sealed class KubernetesWatchMetrics : IDisposable
{
    private readonly MeterListener _listener = new();

    public KubernetesWatchMetrics(IMetricFactory factory, IMeterFactory meters)
    {
        var counters = new Dictionary<string, Counter>(StringComparer.Ordinal)
        {
            [WatchInstruments.ReconnectsName] = factory.CreateCounter(
                "gantry_kubernetes_watch_reconnects_total",
                "Watches of Gantry's custom resources opened again from the last resourceVersion, by how the previous one ended (closed, deadline, error).",
                ["cluster", "kind", "cause"]),
            [WatchInstruments.RelistsName] = factory.CreateCounter(
                "gantry_kubernetes_relists_total",
                "Full lists of Gantry's custom resources, by reason (initial; expired: the watch's resourceVersion was gone; error: after a failed call; resync: periodic).",
                ["cluster", "kind", "reason"]),
        };
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, meters)
                && instrument.Meter.Name == WatchInstruments.MeterName
                && counters.TryGetValue(instrument.Name, out var counter))
            {
                listener.EnableMeasurementEvents(instrument, counter);
            }
        };
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) =>
        {
            var counter = (Counter)state!;
            var values = new string[counter.LabelNames.Length];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = "";
                foreach (var tag in tags)
                {
                    if (tag.Key == counter.LabelNames[i])
                    {
                        values[i] = tag.Value?.ToString() ?? "";
                    }
                }
            }
            counter.WithLabels(values).Inc(value);
        });
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();
}
