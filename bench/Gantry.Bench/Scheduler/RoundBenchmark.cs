using System.Diagnostics;
using Gantry.Core.Scheduling;

namespace Gantry.Bench.Scheduler;

/// <summary>Times one round over a large snapshot, the same snapshot each time (a round is pure).</summary>
public static class RoundBenchmark
{
    public static RoundFigures Run(WorkloadOptions options, int rounds, TextWriter output)
    {
        var random = new Random(options.Seed);
        var now = new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var build = Stopwatch.StartNew();
        var queues = Workload.Queues(options);
        var jobs = new List<PendingJob>(options.Jobs);
        for (var i = 0; i < options.Jobs; i++)
        {
            // Jobs arrive in a Zipf-like spread over queues: a few busy queues, a long tail.
            var queue = queues[(int)(Math.Pow(random.NextDouble(), 2) * queues.Count)];
            jobs.Add(Workload.Job(i, queue.Name, now - TimeSpan.FromSeconds(random.Next(0, 300)), random));
        }
        // The store hands jobs over in serving order (priority, then submission): so does the benchmark.
        jobs.Sort((a, b) => a.Priority != b.Priority ? b.Priority.CompareTo(a.Priority) : a.Seq.CompareTo(b.Seq));
        var views = queues.Select(q => new QueueView(q, new QueueUsage(new Core.Resources.Resources(random.Next(0, 200) * 1000L, random.Next(0, 800) * Workload.Gi, random.Next(0, 8)), random.Next(0, 20)))).ToList();
        var snapshot = new SchedulingSnapshot(now, jobs, views, Workload.Clusters(options, random), SchedulerSettings.Default);
        build.Stop();
        var snapshotBytes = GC.GetTotalMemory(forceFullCollection: true) - before;
        output.WriteLine($"snapshot: jobs={options.Jobs} queues={options.Queues} clusters={options.Clusters} build_ms={build.Elapsed.TotalMilliseconds:F0} managed_mb={snapshotBytes / 1048576.0:F0}");

        var scheduler = new FairShareScheduler();
        SchedulingResult? result = null;
        for (var i = 0; i < 3; i++)
        {
            result = scheduler.Schedule(snapshot);
        }
        var times = new List<double>(rounds);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < rounds; i++)
        {
            var clock = Stopwatch.StartNew();
            result = scheduler.Schedule(snapshot);
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        var allocatedPerRound = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / Math.Max(1, rounds);
        // CPU time is steadier than wall time on a shared machine: report both.
        var cpuPerRound = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / rounds;
        var figures = new RoundFigures(Percentile.Of(times, 50), Percentile.Of(times, 99), result!.Placements.Count,
            result.Rejections.Count, result.Waiting.Count, snapshotBytes, allocatedPerRound, Environment.ProcessId == 0 ? 0 : Process.GetCurrentProcess().PeakWorkingSet64);
        var baselineTimes = new List<double>(rounds);
        for (var i = 0; i < rounds + 3; i++)
        {
            var clock = Stopwatch.StartNew();
            BaselineRound.Run(snapshot);
            if (i >= 3)
            {
                baselineTimes.Add(clock.Elapsed.TotalMilliseconds);
            }
        }
        output.WriteLine($"baseline round (first fit on totals, no fairness, nodes or reasons): p50_ms={Percentile.Of(baselineTimes, 50):F2} p99_ms={Percentile.Of(baselineTimes, 99):F2}");
        var byCode = result.Waiting.Values.GroupBy(w => w.Code).OrderBy(g => g.Key).Select(g => $"{g.Key}={g.Count()}");
        output.WriteLine($"round: waiting={figures.Waiting} rejected={figures.Rejected} reasons: {string.Join(" ", byCode)}");
        output.WriteLine($"round: allocated_mb_per_round={allocatedPerRound / 1048576.0:F1} peak_working_set_mb={figures.PeakWorkingSet / 1048576.0:F0} placed_per_second={figures.Placed / (figures.P50Ms / 1000):F0} cpu_ms_per_round={cpuPerRound:F1}");
        return figures;
    }
}
