using Gantry.Core.Scheduling;
using Gantry.Server.Scheduling;
using Prometheus;

namespace Gantry.Server.Monitoring;

/// <summary>
/// Each registered cluster as the scheduler's last round saw it: capacity and free capacity per
/// resource, health, cordon. Read from that round rather than asked of the backends at every scrape,
/// so a scrape does no I/O and agrees with what the scheduler decided on.
/// </summary>
public sealed class ClusterGauges : IScrapeUpdater
{
    private readonly LastRound _lastRound;
    private readonly Gauge _capacityCpu;
    private readonly Gauge _capacityMemory;
    private readonly Gauge _capacityGpu;
    private readonly Gauge _freeCpu;
    private readonly Gauge _freeMemory;
    private readonly Gauge _freeGpu;
    private readonly Gauge _healthy;
    private readonly Gauge _cordoned;
    private readonly Lock _lock = new();
    private LastRound.Round? _shown;

    public ClusterGauges(IMetricFactory factory, LastRound lastRound)
    {
        _lastRound = lastRound;
        Gauge Create(string name, string help) => factory.CreateGauge(name, help, ["cluster"]);
        _capacityCpu = Create("gantry_cluster_capacity_cpu_cores", "CPU cores the cluster's schedulable nodes can hold.");
        _capacityMemory = Create("gantry_cluster_capacity_memory_bytes", "Memory the cluster's schedulable nodes can hold.");
        _capacityGpu = Create("gantry_cluster_capacity_gpus", "GPUs the cluster's schedulable nodes can hold.");
        _freeCpu = Create("gantry_cluster_free_cpu_cores", "CPU cores free on the cluster (capacity minus what its pods request).");
        _freeMemory = Create("gantry_cluster_free_memory_bytes", "Memory free on the cluster.");
        _freeGpu = Create("gantry_cluster_free_gpus", "GPUs free on the cluster.");
        _healthy = Create("gantry_cluster_healthy", "1 when the cluster answers and has been observed, else 0.");
        _cordoned = Create("gantry_cluster_cordoned", "1 when an admin cordoned the cluster (no new jobs go there), else 0.");
    }

    public Task UpdateAsync(CancellationToken cancellationToken)
    {
        var round = _lastRound.Current;
        lock (_lock)
        {
            if (round is null || ReferenceEquals(round, _shown))
            {
                return Task.CompletedTask;
            }
            _shown = round;
            var clusters = round.Snapshot.Clusters;
            Show(_capacityCpu, clusters, c => c.Capacity.CpuMillis / 1000.0);
            Show(_capacityMemory, clusters, c => c.Capacity.MemoryBytes);
            Show(_capacityGpu, clusters, c => c.Capacity.Gpu);
            Show(_freeCpu, clusters, c => c.Free.CpuMillis / 1000.0);
            Show(_freeMemory, clusters, c => c.Free.MemoryBytes);
            Show(_freeGpu, clusters, c => c.Free.Gpu);
            Show(_healthy, clusters, c => c.Healthy ? 1 : 0);
            Show(_cordoned, clusters, c => c.Cordoned ? 1 : 0);
        }
        return Task.CompletedTask;
    }

    private static void Show(Gauge gauge, IReadOnlyList<ClusterView> clusters, Func<ClusterView, double> value) =>
        GaugeSeries.Replace(gauge, clusters.Select(c => (new[] { c.Name }, value(c))));
}
