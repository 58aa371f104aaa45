using Gantry.Core.Queues;
using Gantry.Core.Resources;
using Gantry.Core.Scheduling;
using Res = Gantry.Core.Resources.Resources;

namespace Gantry.Core.Tests.Scheduling;

/// <summary>
/// Pods Gantry has sent to a cluster that its capacity reading does not show yet must not be
/// given away again, node by node: on random clusters whose nodes already carry in-flight pods,
/// what a round places there and the in-flight pods together must fit the nodes, each pod on one.
/// </summary>
public sealed class InFlightPropertyTests
{
    private const long Gi = 1L << 30;
    private readonly FairShareScheduler _scheduler = new();

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 300)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void No_round_places_more_than_the_nodes_can_hold_with_what_is_in_flight(int seed)
    {
        var random = new Random(seed);
        var snapshot = RandomSnapshot(random);

        var result = _scheduler.Schedule(snapshot);

        var jobs = snapshot.Jobs.ToDictionary(j => j.Id);
        foreach (var cluster in snapshot.Clusters)
        {
            var pods = cluster.InFlight.Concat(result.Placements.Where(p => p.Cluster == cluster.Name).SelectMany(p => jobs[p.JobId].Demand.Pods))
                .SelectMany(p => Enumerable.Repeat(p.PerPod, p.Count))
                .ToList();
            var nodes = cluster.Nodes.Select(n => n.Free).ToArray();
            Assert.True(Packs(nodes, pods), $"seed {seed}: {cluster.Name}'s nodes ({string.Join("; ", nodes)}) cannot hold {string.Join("; ", pods)}");
        }
    }

    [Fact]
    public void Two_in_flight_pods_on_two_nodes_leave_no_node_for_a_third_large_one()
    {
        // The reading shows both 32-cpu nodes empty; two 17-cpu pods are on their way, one per node.
        var cluster = Cluster("a", 2) with { InFlight = [new PodDemand("master", 2, new Res(17_000, Gi, 0))] };
        var job = new PendingJob("big", "default", "PyTorchJob", 0, 1, Snapshots.Now, new ResourceDemand([new PodDemand("master", 1, new Res(30_000, Gi, 0))]));

        var result = _scheduler.Schedule(Snapshots.Of([cluster], job));

        Assert.Empty(result.Placements);
        Assert.Equal(ReasonCode.NodeFit, result.Waiting["big"].Code);
    }

    [Fact]
    public void Six_thirty_cpu_jobs_after_four_were_placed_but_not_yet_shown_are_not_placed_on_the_full_clusters()
    {
        // The issue's case: two large clusters of two 32-cpu nodes, four 30-cpu masters placed a
        // moment ago (the operator says Running) but not yet in the capacity reading.
        var inFlight = new PodDemand("master", 2, new Res(30_000, Gi, 0));
        var west = Cluster("west", 2) with { InFlight = [inFlight] };
        var gpu = Cluster("gpu", 2) with { InFlight = [inFlight] };
        var jobs = Enumerable.Range(0, 2).Select(i => new PendingJob($"j{i}", "default", "PyTorchJob", 0, i, Snapshots.Now,
            new ResourceDemand([new PodDemand("master", 1, new Res(30_000, Gi, 0))]))).ToArray();

        var result = _scheduler.Schedule(Snapshots.Of([west, gpu], jobs));

        Assert.Empty(result.Placements);
    }

    private static ClusterView Cluster(string name, int nodes)
    {
        var node = new NodeView(new Res(32_000, 128 * Gi, 0), new Res(32_000, 128 * Gi, 0));
        var list = Enumerable.Repeat(node, nodes).ToList();
        var total = new Res(32_000 * nodes, 128 * Gi * nodes, 0);
        return new ClusterView(name, true, false, total, total, Snapshots.AllKinds) { Nodes = list };
    }

    /// <summary>
    /// Clusters of one to three nodes, partly used; in-flight pods carved out of what the nodes
    /// show free (so they fit, as pods the cluster really will bind); jobs of one to three pods.
    /// </summary>
    private static SchedulingSnapshot RandomSnapshot(Random random)
    {
        var kinds = new HashSet<string> { "Command" };
        var clusters = Enumerable.Range(0, random.Next(1, 4)).Select(i =>
        {
            var nodes = Enumerable.Range(0, random.Next(1, 4)).Select(_ =>
            {
                var cpu = random.Next(4, 33) * 1000L;
                var memory = random.Next(8, 65) * Gi;
                var gpu = random.Next(0, 3) == 0 ? random.Next(1, 5) : 0;
                return new NodeView(new Res(cpu, memory, gpu), new Res(random.NextInt64(cpu / 2, cpu + 1), random.NextInt64(memory / 2, memory + 1), random.Next(0, gpu + 1)));
            }).ToList();
            var truth = nodes.Select(n => n.Free).ToArray();
            var inFlight = new List<PodDemand>();
            for (var k = random.Next(0, 5); k > 0; k--)
            {
                var pod = RandomPod(random);
                var node = Array.FindIndex(truth, f => pod.FitsIn(f) && random.Next(2) == 0);
                if (node >= 0)
                {
                    truth[node] -= pod;
                    inFlight.Add(new PodDemand("inflight", 1, pod));
                }
            }
            var capacity = nodes.Aggregate(Res.Zero, (s, n) => s + n.Allocatable);
            var free = nodes.Aggregate(Res.Zero, (s, n) => s + n.Free);
            return new ClusterView($"c{i}", true, false, capacity, free, kinds) { Nodes = nodes, InFlight = inFlight };
        }).ToList();
        var queues = Enumerable.Range(0, random.Next(1, 3)).Select(i => new QueueView(
            new Queue { Name = $"q{i}", Policy = (PlacementPolicy)random.Next(3) }, QueueUsage.None)).ToList();
        var jobs = Enumerable.Range(0, random.Next(1, 25)).Select(i => new PendingJob(
            $"j{i}", queues[random.Next(queues.Count)].Queue.Name, "Command", 0, i, Snapshots.Now - TimeSpan.FromSeconds(random.Next(1, 60)),
            new ResourceDemand(Enumerable.Range(0, random.Next(1, 3)).Select(r => new PodDemand($"r{r}", random.Next(1, 3), RandomPod(random))).ToList())))
            .ToList();
        return new SchedulingSnapshot(Snapshots.Now, jobs, queues, clusters, new SchedulerSettings { ReserveAfter = TimeSpan.FromMinutes(15) });
    }

    private static Res RandomPod(Random random) =>
        new(random.Next(2, 17) * 1000L, random.Next(1, 17) * Gi, random.Next(0, 4) == 0 ? random.Next(1, 3) : 0);

    /// <summary>Whether every pod can go on some node with room, each node holding what its pods sum to: an exhaustive search, largest pods first.</summary>
    private static bool Packs(Res[] free, List<Res> pods)
    {
        pods = [.. pods.OrderByDescending(p => p.CpuMillis).ThenByDescending(p => p.MemoryBytes).ThenByDescending(p => p.Gpu)];
        return Place(0);

        bool Place(int index)
        {
            if (index == pods.Count)
            {
                return true;
            }
            var tried = new HashSet<Res>();
            for (var node = 0; node < free.Length; node++)
            {
                // Two nodes with the same room left are the same choice.
                if (!tried.Add(free[node]) || !pods[index].FitsIn(free[node]))
                {
                    continue;
                }
                free[node] -= pods[index];
                var placed = Place(index + 1);
                free[node] += pods[index];
                if (placed)
                {
                    return true;
                }
            }
            return false;
        }
    }
}
