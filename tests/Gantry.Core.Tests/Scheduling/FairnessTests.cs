using Gantry.Core.Queues;
using Gantry.Core.Resources;
using Gantry.Core.Scheduling;
using Res = Gantry.Core.Resources.Resources;

namespace Gantry.Core.Tests.Scheduling;

/// <summary>DRF over time: rounds place, jobs finish, capacity comes back, and shares settle where the weights say.</summary>
public sealed class FairnessTests
{
    [Theory]
    [InlineData(1, 3)]
    [InlineData(1, 1)]
    [InlineData(2, 5)]
    public void Two_saturated_queues_converge_to_their_weights_within_five_percent(double lightWeight, double heavyWeight)
    {
        var random = new Random(7);
        var start = new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);
        var capacity = new Res(100_000, 400L << 30, 0);
        var queues = new[] { new Queue { Name = "light", Weight = lightWeight }, new Queue { Name = "heavy", Weight = heavyWeight } };
        var usage = queues.ToDictionary(q => q.Name, _ => QueueUsage.None);
        var running = new List<(PendingJob Job, int Ends)>();
        var queued = new List<PendingJob>();
        var free = capacity;
        var shares = queues.ToDictionary(q => q.Name, _ => 0.0);
        var scheduler = new FairShareScheduler();
        var seq = 0;

        for (var tick = 0; tick < 400; tick++)
        {
            foreach (var done in running.Where(r => r.Ends <= tick).ToList())
            {
                running.Remove(done);
                free += done.Job.Demand.Total;
                usage[done.Job.Queue] = new QueueUsage(usage[done.Job.Queue].Held - done.Job.Demand.Total, usage[done.Job.Queue].RunningJobs - 1);
            }
            // Both queues always have more waiting than they could ever run.
            foreach (var queue in queues)
            {
                while (queued.Count(j => j.Queue == queue.Name) < 120)
                {
                    var pod = new Res(random.Next(1, 4) * 1000L, random.Next(1, 8) << 30, 0);
                    queued.Add(new PendingJob($"j{seq}", queue.Name, "Command", 0, seq++, start.AddSeconds(tick), new ResourceDemand([new PodDemand("main", 1, pod)])));
                }
            }
            var cluster = new ClusterView("only", true, false, capacity, free, new HashSet<string> { "Command" });
            var result = scheduler.Schedule(new SchedulingSnapshot(start.AddSeconds(tick), queued, queues.Select(q => new QueueView(q, usage[q.Name])).ToList(), [cluster], SchedulerSettings.Default));
            foreach (var placement in result.Placements)
            {
                var job = queued.Single(j => j.Id == placement.JobId);
                queued.Remove(job);
                free -= job.Demand.Total;
                usage[job.Queue] = usage[job.Queue].Plus(job.Demand.Total);
                running.Add((job, tick + random.Next(1, 11)));
            }
            if (tick >= 200)
            {
                foreach (var queue in queues)
                {
                    shares[queue.Name] += DominantShare.Of(usage[queue.Name].Held, capacity);
                }
            }
        }

        var total = shares.Values.Sum();
        var entitled = DominantShare.Entitlements(queues.Select(q => (q.Name, q.Weight)));
        foreach (var queue in queues)
        {
            var got = shares[queue.Name] / total;
            Assert.InRange(got / entitled[queue.Name], 0.95, 1.05);
        }
    }
}
