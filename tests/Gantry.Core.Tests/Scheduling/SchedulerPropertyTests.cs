using Gantry.Core.Queues;
using Gantry.Core.Resources;
using Res = Gantry.Core.Resources.Resources;
using Gantry.Core.Scheduling;

namespace Gantry.Core.Tests.Scheduling;

/// <summary>Rules that must hold for any snapshot, checked on many random ones (fixed seeds, so a failure repeats).</summary>
public sealed class SchedulerPropertyTests
{
    private const long Gi = 1L << 30;
    private readonly FairShareScheduler _scheduler = new();

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 40)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void No_round_places_more_than_a_cluster_has_free_and_every_job_is_decided_once(int seed)
    {
        var snapshot = RandomSnapshot(new Random(seed));

        var result = _scheduler.Schedule(snapshot);

        var demand = snapshot.Jobs.ToDictionary(j => j.Id, j => j.Demand.Total);
        foreach (var cluster in snapshot.Clusters)
        {
            var placed = result.Placements.Where(p => p.Cluster == cluster.Name).Aggregate(Res.Zero, (sum, p) => sum + demand[p.JobId]);
            Assert.True(placed == Res.Zero || placed.FitsIn(cluster.Free - cluster.Unobserved), $"seed {seed}: {cluster.Name} got {placed}, had {cluster.Free - cluster.Unobserved}");
            Assert.True(placed == Res.Zero || (cluster.Healthy && !cluster.Cordoned), $"seed {seed}: {cluster.Name} is not schedulable but got work");
        }
        var decided = result.Placements.Select(p => p.JobId).Concat(result.Rejections.Select(r => r.JobId)).Concat(result.Waiting.Keys).ToList();
        Assert.Equal(decided.Count, decided.Distinct().Count());
        Assert.Equal(snapshot.Jobs.Select(j => j.Id).Order(), decided.Order());
        Assert.All(result.Waiting.Values, why => Assert.False(string.IsNullOrWhiteSpace(why.Summary)));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Quotas_are_never_broken(int seed)
    {
        var snapshot = RandomSnapshot(new Random(seed));

        var result = _scheduler.Schedule(snapshot);

        var demand = snapshot.Jobs.ToDictionary(j => j.Id, j => j.Demand.Total);
        var queueOf = snapshot.Jobs.ToDictionary(j => j.Id, j => j.Queue);
        foreach (var view in snapshot.Queues)
        {
            var placed = result.Placements.Where(p => queueOf[p.JobId] == view.Queue.Name).Select(p => demand[p.JobId]).ToList();
            var quota = view.Queue.Quota;
            // A job that needs none of a resource is not held back by that resource's quota.
            var cpu = view.Usage.Held.CpuMillis + placed.Sum(d => d.CpuMillis);
            var gpu = view.Usage.Held.Gpu + placed.Sum(d => d.Gpu);
            Assert.True(!placed.Any(d => d.CpuMillis > 0) || quota.CpuMillis is null || cpu <= quota.CpuMillis, $"seed {seed}: cpu quota of {view.Queue.Name}");
            Assert.True(!placed.Any(d => d.Gpu > 0) || quota.Gpu is null || gpu <= quota.Gpu, $"seed {seed}: gpu quota of {view.Queue.Name}");
            Assert.True(placed.Count == 0 || quota.RunningJobs is null || view.Usage.RunningJobs + placed.Count <= quota.RunningJobs, $"seed {seed}: jobs quota of {view.Queue.Name}");
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_same_snapshot_always_gives_the_same_round(int seed)
    {
        var snapshot = RandomSnapshot(new Random(seed));

        var first = _scheduler.Schedule(snapshot);
        var second = _scheduler.Schedule(snapshot with { Jobs = snapshot.Jobs.Reverse().ToList() });

        Assert.Equal(first.Placements, second.Placements);
        Assert.Equal(first.Rejections, second.Rejections);
    }

    private static SchedulingSnapshot RandomSnapshot(Random random)
    {
        var now = new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
        var kinds = new HashSet<string> { "Command" };
        var clusters = Enumerable.Range(0, random.Next(0, 6)).Select(i =>
        {
            var nodes = Enumerable.Range(0, random.Next(0, 4)).Select(_ =>
            {
                var cpu = random.Next(1, 17) * 1000L;
                return new NodeView(new Res(cpu, 64 * Gi, random.Next(0, 3)), new Res(random.NextInt64(0, cpu + 1), 64 * Gi, random.Next(0, 3)));
            }).ToList();
            var capacity = nodes.Count > 0 ? nodes.Aggregate(Res.Zero, (s, n) => s + n.Allocatable) : new Res(random.Next(0, 65) * 1000L, 256 * Gi, random.Next(0, 9));
            var free = nodes.Count > 0 ? nodes.Aggregate(Res.Zero, (s, n) => s + n.Free) : new Res(random.NextInt64(0, capacity.CpuMillis + 1), 128 * Gi, random.NextInt64(0, capacity.Gpu + 1));
            return new ClusterView($"c{i}", random.Next(6) > 0, random.Next(6) == 0, capacity, free, kinds)
            {
                Nodes = nodes,
                Unobserved = new Res(random.Next(0, 3) * 1000L, 0, 0),
                Labels = new Dictionary<string, string> { ["zone"] = random.Next(2) == 0 ? "a" : "b" },
            };
        }).ToList();
        var queues = Enumerable.Range(0, random.Next(1, 5)).Select(i => new QueueView(new Queue
        {
            Name = $"q{i}",
            Weight = random.Next(1, 4),
            Priority = random.Next(0, 2),
            Quota = random.Next(3) == 0 ? new QueueQuota(CpuMillis: random.Next(1, 30) * 1000L, Gpu: random.Next(0, 4), RunningJobs: random.Next(1, 10)) : QueueQuota.Unlimited,
            ClusterSelector = random.Next(4) == 0 ? new Dictionary<string, string> { ["zone"] = "a" } : [],
            Policy = (PlacementPolicy)random.Next(3),
            Affinity = new Dictionary<string, string> { ["zone"] = "b" },
        }, new QueueUsage(new Res(random.Next(0, 10) * 1000L, 0, random.Next(0, 2)), random.Next(0, 3)))).ToList();
        var jobs = Enumerable.Range(0, random.Next(0, 80)).Select(i => new PendingJob(
            $"j{i}", queues[random.Next(queues.Count)].Queue.Name, "Command", random.Next(0, 3), i,
            now - TimeSpan.FromMinutes(random.Next(0, 30)),
            new ResourceDemand([new PodDemand("worker", random.Next(1, 4), new Res(random.Next(1, 9) * 500L, random.Next(1, 9) * Gi, random.Next(0, 2)))]))).ToList();
        return new SchedulingSnapshot(now, jobs, queues, clusters, new SchedulerSettings { ReserveAfter = TimeSpan.FromMinutes(15) });
    }
}
