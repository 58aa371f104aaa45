using System.Diagnostics;
using Gantry.Core.Queues;
using Gantry.Core.Scheduling;
using Res = Gantry.Core.Resources.Resources;

namespace Gantry.Bench.Scheduler;

/// <summary>
/// Runs the round function against a synthetic workload over simulated time: jobs arrive,
/// rounds place them, placed jobs run for their duration and give their capacity back. Prints
/// what a platform team would look at: round time, placements per second, utilisation per
/// cluster, each queue's share against its DRF entitlement, and wait times per queue.
/// </summary>
public sealed class Simulation(WorkloadOptions options, TimeSpan length, TimeSpan tick, double load)
{
    private readonly Random _random = new(options.Seed);
    private readonly Dictionary<string, TimeSpan> _durations = new(StringComparer.Ordinal);

    public void Run(TextWriter output)
    {
        var start = new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
        // Single-node clusters: the simulation tracks totals, not which node each pod is on.
        var clusters = Workload.Clusters(options with { NodesPerCluster = 1, Busy = 0 }, _random)
            .Select(c => c with { Nodes = [], Free = c.Capacity })
            .ToDictionary(c => c.Name, StringComparer.Ordinal);
        var pool = clusters.Values.Aggregate(Res.Zero, (s, c) => s + c.Capacity);
        var queues = Workload.Queues(options);
        var usage = queues.ToDictionary(q => q.Name, _ => QueueUsage.None, StringComparer.Ordinal);
        var queued = new List<PendingJob>();
        var running = new List<(PendingJob Job, string Cluster, DateTimeOffset Ends)>();
        var waits = queues.ToDictionary(q => q.Name, _ => new List<double>(), StringComparer.Ordinal);
        var shares = queues.ToDictionary(q => q.Name, _ => new List<double>(), StringComparer.Ordinal);
        var backlogged = queues.ToDictionary(q => q.Name, _ => 0, StringComparer.Ordinal);
        var utilisation = clusters.Keys.ToDictionary(c => c, _ => new List<double>(), StringComparer.Ordinal);
        var roundTimes = new List<double>();
        var placedTotal = 0;
        var rejectedTotal = 0;
        var arrivalsPerTick = ArrivalsPerTick(pool);
        var scheduler = new FairShareScheduler();
        var next = 0;
        var samples = 0;

        for (var now = start; now < start + length; now += tick)
        {
            foreach (var done in running.Where(r => r.Ends <= now).ToList())
            {
                running.Remove(done);
                var demand = done.Job.Demand.Total;
                clusters[done.Cluster] = clusters[done.Cluster] with { Free = clusters[done.Cluster].Free + demand };
                usage[done.Job.Queue] = new QueueUsage(usage[done.Job.Queue].Held - demand, usage[done.Job.Queue].RunningJobs - 1);
            }
            for (var i = 0; i < Poisson(arrivalsPerTick); i++)
            {
                var job = Workload.Job(next++, queues[_random.Next(queues.Count)].Name, now, _random);
                _durations[job.Id] = TimeSpan.FromSeconds(60 + _random.Next(0, 540));
                queued.Add(job);
            }

            var snapshot = new SchedulingSnapshot(now, queued, queues.Select(q => new QueueView(q, usage[q.Name])).ToList(), clusters.Values.ToList(), SchedulerSettings.Default);
            var clock = Stopwatch.StartNew();
            var result = scheduler.Schedule(snapshot);
            roundTimes.Add(clock.Elapsed.TotalMilliseconds);

            var byId = queued.ToDictionary(j => j.Id, StringComparer.Ordinal);
            foreach (var placement in result.Placements)
            {
                var job = byId[placement.JobId];
                var demand = job.Demand.Total;
                clusters[placement.Cluster] = clusters[placement.Cluster] with { Free = clusters[placement.Cluster].Free - demand };
                usage[job.Queue] = usage[job.Queue].Plus(demand);
                running.Add((job, placement.Cluster, now + _durations[job.Id]));
                waits[job.Queue].Add((now - job.CreatedAt).TotalSeconds);
            }
            var gone = result.Placements.Select(p => p.JobId).Concat(result.Rejections.Select(r => r.JobId)).ToHashSet(StringComparer.Ordinal);
            queued.RemoveAll(j => gone.Contains(j.Id));
            placedTotal += result.Placements.Count;
            rejectedTotal += result.Rejections.Count;

            // Judge fairness and utilisation on the second half, once the start-up transient is over.
            if (now >= start + length / 2)
            {
                samples++;
                foreach (var queue in queues)
                {
                    shares[queue.Name].Add(DominantShare.Of(usage[queue.Name].Held, pool));
                }
                foreach (var name in queued.Select(j => j.Queue).Distinct())
                {
                    backlogged[name]++;
                }
                foreach (var cluster in clusters.Values)
                {
                    utilisation[cluster.Name].Add(DominantShare.Of(cluster.Capacity - cluster.Free, cluster.Capacity));
                }
            }
        }

        Report(output, queues, shares, backlogged, samples, waits, utilisation, roundTimes, placedTotal, rejectedTotal, queued.Count);
    }

    private void Report(TextWriter output, IReadOnlyList<Queue> queues, Dictionary<string, List<double>> shares, Dictionary<string, int> backlogged, int samples,
        Dictionary<string, List<double>> waits, Dictionary<string, List<double>> utilisation, List<double> roundTimes, int placed, int rejected, int leftQueued)
    {
        output.WriteLine($"simulation: minutes={length.TotalMinutes:F0} tick_s={tick.TotalSeconds:F0} load={load} placed={placed} rejected={rejected} still_queued={leftQueued} round_p50_ms={Percentile.Of(roundTimes, 50):F2} round_p99_ms={Percentile.Of(roundTimes, 99):F2}");
        var utils = utilisation.ToDictionary(u => u.Key, u => u.Value.Count == 0 ? 0 : u.Value.Average());
        output.WriteLine($"utilisation (dominant, second half): mean={utils.Values.Average():P0} min={utils.Values.Min():P0} max={utils.Values.Max():P0}");
        foreach (var (name, value) in utils.OrderBy(u => u.Key, StringComparer.Ordinal))
        {
            output.Write($"{name}={value:P0} ");
        }
        output.WriteLine();

        // Fairness is judged among queues that always wanted more and have no quota or selector
        // limiting them: DRF promises each of those a share in proportion to its weight.
        var contenders = queues.Where(q => backlogged[q.Name] >= samples * 0.9 && q.Quota == QueueQuota.Unlimited && q.ClusterSelector.Count == 0).ToList();
        var meanShare = contenders.ToDictionary(q => q.Name, q => shares[q.Name].Count == 0 ? 0 : shares[q.Name].Average());
        var shareSum = meanShare.Values.Sum();
        var entitlements = DominantShare.Entitlements(contenders.Select(q => (q.Name, q.Weight)));
        var errors = contenders.Select(q => Math.Abs((shareSum > 0 ? meanShare[q.Name] / shareSum : 0) - entitlements[q.Name])).ToList();
        output.WriteLine($"fairness: contenders={contenders.Count} error_mean={(errors.Count > 0 ? errors.Average() : 0):F3} error_max={(errors.Count > 0 ? errors.Max() : 0):F3} (share of the contenders' total against weight/sum of weights)");
        foreach (var queue in queues.Take(12))
        {
            var got = shareSum > 0 && meanShare.TryGetValue(queue.Name, out var s) ? $"{s / shareSum:P1}" : "-";
            var entitled = entitlements.TryGetValue(queue.Name, out var e) ? $"{e:P1}" : "-";
            output.WriteLine($"queue {queue.Name} weight={queue.Weight} share={got} entitlement={entitled} wait_p50_s={Percentile.Of(waits[queue.Name], 50):F0} wait_p95_s={Percentile.Of(waits[queue.Name], 95):F0} placed={waits[queue.Name].Count}");
        }
        if (queues.Count > 12)
        {
            output.WriteLine($"... {queues.Count - 12} more queues; wait_p95_s over all: {Percentile.Of(waits.Values.SelectMany(w => w).ToList(), 95):F0}");
        }
    }

    /// <summary>Arrivals per tick that ask for <c>load</c> times the pool's CPU over a job's mean duration.</summary>
    private double ArrivalsPerTick(Res pool)
    {
        var sample = new Random(options.Seed + 1);
        var meanCpu = Enumerable.Range(0, 2000).Average(i => (double)Workload.Job(i, "q", DateTimeOffset.UnixEpoch, sample).Demand.Total.CpuMillis);
        var meanDurationTicks = 330.0 / tick.TotalSeconds;
        return load * pool.CpuMillis / meanCpu / meanDurationTicks;
    }

    private int Poisson(double mean)
    {
        // Knuth's method for small means, a normal approximation for large ones.
        if (mean > 50)
        {
            var normal = Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());
            return Math.Max(0, (int)Math.Round(mean + Math.Sqrt(mean) * normal));
        }
        var limit = Math.Exp(-mean);
        var k = 0;
        var p = _random.NextDouble();
        while (p > limit)
        {
            k++;
            p *= _random.NextDouble();
        }
        return k;
    }
}
