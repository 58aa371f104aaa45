using Gantry.Core.Scheduling;
using Gantry.Server.Scheduling;
using Prometheus;

namespace Gantry.Server.Monitoring;

/// <summary>
/// Each queue as the scheduler's last round saw it: what its started jobs hold, its quota, its
/// weight, and its fair share (dominant share against entitlement, computed as the scheduler does:
/// <see cref="FairShares.Of"/>, as the queues API does).
/// </summary>
public sealed class QueueGauges : IScrapeUpdater
{
    private readonly LastRound _lastRound;
    private readonly Gauge _usedCpu;
    private readonly Gauge _usedMemory;
    private readonly Gauge _usedGpu;
    private readonly Gauge _runningJobs;
    private readonly Gauge _quotaCpu;
    private readonly Gauge _quotaMemory;
    private readonly Gauge _quotaGpu;
    private readonly Gauge _quotaRunningJobs;
    private readonly Gauge _weight;
    private readonly Gauge _share;
    private readonly Gauge _entitlement;
    private readonly Lock _lock = new();
    private LastRound.Round? _shown;

    public QueueGauges(IMetricFactory factory, LastRound lastRound)
    {
        _lastRound = lastRound;
        Gauge Create(string name, string help) => factory.CreateGauge(name, help, ["queue"]);
        _usedCpu = Create("gantry_queue_used_cpu_cores", "CPU cores the queue's started jobs (Dispatching to Cancelling) request.");
        _usedMemory = Create("gantry_queue_used_memory_bytes", "Memory the queue's started jobs request.");
        _usedGpu = Create("gantry_queue_used_gpus", "GPUs the queue's started jobs request.");
        _runningJobs = Create("gantry_queue_started_jobs", "The queue's started jobs (Dispatching to Cancelling), as its runningJobs quota counts them.");
        _quotaCpu = Create("gantry_queue_quota_cpu_cores", "The queue's CPU quota; absent when unlimited.");
        _quotaMemory = Create("gantry_queue_quota_memory_bytes", "The queue's memory quota; absent when unlimited.");
        _quotaGpu = Create("gantry_queue_quota_gpus", "The queue's GPU quota; absent when unlimited.");
        _quotaRunningJobs = Create("gantry_queue_quota_started_jobs", "The queue's runningJobs quota; absent when unlimited.");
        _weight = Create("gantry_queue_weight", "The queue's fair-share weight.");
        _share = Create("gantry_queue_dominant_share", "The largest fraction of any one resource of all healthy clusters that the queue's started jobs hold (0 to 1).");
        _entitlement = Create(
            "gantry_queue_fair_share_entitlement",
            "The share the queue's weight entitles it to among queues that want something (queued or holding); 0 when it wants nothing.");
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
            var queues = round.Snapshot.Queues;
            Show(_usedCpu, queues, q => q.Usage.Held.CpuMillis / 1000.0);
            Show(_usedMemory, queues, q => q.Usage.Held.MemoryBytes);
            Show(_usedGpu, queues, q => q.Usage.Held.Gpu);
            Show(_runningJobs, queues, q => q.Usage.RunningJobs);
            Show(_quotaCpu, queues, q => q.Queue.Quota.CpuMillis / 1000.0);
            Show(_quotaMemory, queues, q => q.Queue.Quota.MemoryBytes);
            Show(_quotaGpu, queues, q => q.Queue.Quota.Gpu);
            Show(_quotaRunningJobs, queues, q => q.Queue.Quota.RunningJobs);
            Show(_weight, queues, q => q.Queue.Weight);
            var shares = FairShares.Of(round.Snapshot);
            GaugeSeries.Replace(_share, shares.Select(s => (new[] { s.Key }, s.Value.Share)));
            GaugeSeries.Replace(_entitlement, shares.Select(s => (new[] { s.Key }, s.Value.Entitlement)));
        }
        return Task.CompletedTask;
    }

    /// <summary>One series per queue with a value; a queue without one (an unlimited quota) has no series.</summary>
    private static void Show(Gauge gauge, IReadOnlyList<QueueView> queues, Func<QueueView, double?> value) =>
        GaugeSeries.Replace(gauge, queues
            .Select(q => (Labels: new[] { q.Queue.Name }, Value: value(q)))
            .Where(x => x.Value is not null)
            .Select(x => (x.Labels, x.Value!.Value)));
}
