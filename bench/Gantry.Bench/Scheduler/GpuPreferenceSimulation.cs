using Gantry.Core.Queues;
using Gantry.Core.Resources;
using Gantry.Core.Scheduling;
using Res = Gantry.Core.Resources.Resources;

namespace Gantry.Bench.Scheduler;

/// <summary>
/// What keeping CPU-only jobs off GPU nodes saves GPU jobs: three CPU clusters and one GPU
/// cluster, a stream of mostly CPU-only jobs (Spark applications, commands) and some GPU training
/// gangs, run once with <see cref="SchedulerSettings.SpareGpuNodes"/> off and once on. Nodes are
/// tracked one by one: each placed pod is put where the round's packing puts it (CPU-only pods on
/// nodes without GPUs first when the preference is on), and gives its room back when its job ends.
/// </summary>
public sealed class GpuPreferenceSimulation(int seed, TimeSpan length, double load)
{
    private const long Gi = 1L << 30;
    private static readonly HashSet<string> Kinds = ["Command", "SparkApplication", "PyTorchJob"];
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(10);

    public sealed record Figures(int GpuJobs, double GpuWaitP50, double GpuWaitP95, double GpuWaitMean, int CpuJobs, double CpuWaitP50, double CpuWaitP95, double GpuClusterCpuByCpuJobs);

    public Figures Run(bool spareGpuNodes)
    {
        var random = new Random(seed);
        var start = new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
        var cpuNode = new Res(32_000, 128 * Gi, 0);
        var gpuNode = new Res(32_000, 256 * Gi, 8);
        var nodes = new Dictionary<string, (Res Allocatable, Res[] Free)>(StringComparer.Ordinal)
        {
            ["cpu-1"] = (cpuNode, [cpuNode, cpuNode]),
            ["cpu-2"] = (cpuNode, [cpuNode, cpuNode]),
            ["cpu-3"] = (cpuNode, [cpuNode, cpuNode]),
            ["gpu-1"] = (gpuNode, [gpuNode, gpuNode]),
        };
        var queue = new Queue { Name = "default" };
        var queued = new List<PendingJob>();
        var running = new List<(PendingJob Job, string Cluster, List<(int Node, Res Pod)> Pods, DateTimeOffset Ends)>();
        var durations = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        var gpuWaits = new List<double>();
        var cpuWaits = new List<double>();
        var cpuOnGpu = new List<double>();
        var usage = QueueUsage.None;
        var scheduler = new FairShareScheduler();
        var settings = new SchedulerSettings { SpareGpuNodes = spareGpuNodes };
        // Arrivals sized so that CPU-only demand is `load` times the CPU clusters' cpu.
        var arrivalsPerTick = load * 3 * 2 * 32_000 / 14_000.0 / (330.0 / Tick.TotalSeconds);
        var next = 0;
        for (var now = start; now < start + length; now += Tick)
        {
            foreach (var done in running.Where(r => r.Ends <= now).ToList())
            {
                running.Remove(done);
                foreach (var (node, pod) in done.Pods)
                {
                    nodes[done.Cluster].Free[node] += pod;
                }
                usage = new QueueUsage(usage.Held - done.Job.Demand.Total, usage.RunningJobs - 1);
            }
            for (var arrivals = Poisson(random, arrivalsPerTick); arrivals > 0; arrivals--)
            {
                var job = NewJob(next++, now, random);
                durations[job.Id] = TimeSpan.FromSeconds(60 + random.Next(0, 540));
                queued.Add(job);
            }
            var clusters = nodes.Select(n => new ClusterView(
                n.Key, true, false, n.Value.Allocatable * n.Value.Free.Length, n.Value.Free.Aggregate(Res.Zero, (s, f) => s + f), Kinds)
            {
                Nodes = n.Value.Free.Select(f => new NodeView(n.Value.Allocatable, f)).ToList(),
            }).ToList();
            var result = scheduler.Schedule(new SchedulingSnapshot(now, queued, [new QueueView(queue, usage)], clusters, settings));
            var byId = queued.ToDictionary(j => j.Id, StringComparer.Ordinal);
            foreach (var placement in result.Placements)
            {
                var job = byId[placement.JobId];
                var pods = Pack(nodes[placement.Cluster], job.Demand, spareGpuNodes);
                running.Add((job, placement.Cluster, pods, now + durations[job.Id]));
                usage = usage.Plus(job.Demand.Total);
                (job.Demand.Total.Gpu > 0 ? gpuWaits : cpuWaits).Add((now - job.CreatedAt).TotalSeconds);
            }
            var gone = result.Placements.Select(p => p.JobId).Concat(result.Rejections.Select(r => r.JobId)).ToHashSet(StringComparer.Ordinal);
            queued.RemoveAll(j => gone.Contains(j.Id));
            if (now >= start + length / 2)
            {
                var taken = running.Where(r => r.Cluster == "gpu-1" && r.Job.Demand.Total.Gpu == 0).Sum(r => r.Job.Demand.Total.CpuMillis);
                cpuOnGpu.Add(taken / (2.0 * gpuNode.CpuMillis));
            }
        }
        return new Figures(
            gpuWaits.Count, Percentile.Of(gpuWaits, 50), Percentile.Of(gpuWaits, 95), gpuWaits.Count > 0 ? gpuWaits.Average() : 0,
            cpuWaits.Count, Percentile.Of(cpuWaits, 50), Percentile.Of(cpuWaits, 95), cpuOnGpu.Count > 0 ? cpuOnGpu.Average() : 0);
    }

    /// <summary>Where the pods go: the round's own packing order (largest roles first, each pod on the first node in the order with room).</summary>
    private static List<(int Node, Res Pod)> Pack((Res Allocatable, Res[] Free) cluster, ResourceDemand demand, bool spareGpuNodes)
    {
        var placed = new List<(int, Res)>();
        var order = Enumerable.Range(0, cluster.Free.Length).ToArray();
        foreach (var role in demand.Pods.OrderByDescending(p => p.PerPod.CpuMillis).ThenByDescending(p => p.PerPod.MemoryBytes))
        {
            var nodes = spareGpuNodes && role.PerPod.Gpu == 0 ? order.OrderBy(i => cluster.Allocatable.Gpu > 0 ? 1 : 0).ToArray() : order;
            for (var k = 0; k < role.Count; k++)
            {
                var node = nodes.First(i => role.PerPod.FitsIn(cluster.Free[i]));
                cluster.Free[node] -= role.PerPod;
                placed.Add((node, role.PerPod));
            }
        }
        return placed;
    }

    /// <summary>Nineteen in twenty CPU-only (Spark applications of 2 to 8 executors, commands), one in twenty a training job of one 8-GPU, 24-cpu worker.</summary>
    private static PendingJob NewJob(int index, DateTimeOffset now, Random random)
    {
        var (kind, pods) = random.Next(20) switch
        {
            < 10 => ("SparkApplication", new List<PodDemand>
            {
                new("driver", 1, new Res(1000, 2 * Gi, 0)),
                new("executor", random.Next(2, 9), new Res(random.Next(1, 5) * 1000L, 8 * Gi, 0)),
            }),
            < 19 => ("Command", [new PodDemand("main", 1, new Res(random.Next(1, 9) * 1000L, random.Next(1, 17) * Gi, 0))]),
            // A GPU worker needs most of its node's cpu too (data loading): a node that CPU-only jobs hold part of cannot take it.
            _ => ("PyTorchJob", [new PodDemand("worker", 1, new Res(24_000, 128 * Gi, 8))]),
        };
        return new PendingJob($"job-{index:D6}", "default", kind, 0, index, now, new ResourceDemand(pods));
    }

    private static int Poisson(Random random, double mean)
    {
        var limit = Math.Exp(-mean);
        var k = 0;
        var p = random.NextDouble();
        while (p > limit)
        {
            k++;
            p *= random.NextDouble();
        }
        return k;
    }
}
