using System.Diagnostics.Metrics;

namespace Gantry.Backends.Kubernetes;

/// <summary>
/// What the informers of one cluster count, as System.Diagnostics.Metrics counters, so that this
/// project needs no metrics library: the server turns them into Prometheus counters. Made from the
/// host's <see cref="IMeterFactory"/>, so two gateways in one process count apart; without one the
/// counts go nowhere.
/// </summary>
public sealed class WatchInstruments
{
    public const string MeterName = "Gantry.Kubernetes";

    /// <summary>A watch opened again from the resourceVersion it had; tags cluster, kind, cause (closed, deadline, error).</summary>
    public const string ReconnectsName = "gantry.kubernetes.watch.reconnects";

    /// <summary>A full list of the labelled resources; tags cluster, kind, reason (initial, expired, error, resync).</summary>
    public const string RelistsName = "gantry.kubernetes.relists";

    private readonly string _cluster;
    private readonly Counter<long>? _reconnects;
    private readonly Counter<long>? _relists;

    public WatchInstruments(IMeterFactory? meters, string cluster)
    {
        _cluster = cluster;
        if (meters is null)
        {
            return;
        }
        var meter = meters.Create(MeterName);
        _reconnects = meter.CreateCounter<long>(ReconnectsName, "{reconnect}", "Watches opened again from the last resourceVersion seen.");
        _relists = meter.CreateCounter<long>(RelistsName, "{list}", "Full lists of Gantry's custom resources.");
    }

    internal void Reconnected(string kind, string cause) =>
        _reconnects?.Add(1, new("cluster", _cluster), new("kind", kind), new("cause", cause));

    internal void Relisted(string kind, string reason) =>
        _relists?.Add(1, new("cluster", _cluster), new("kind", kind), new("reason", reason));
}
