using Gantry.Core.Queues;
using Gantry.Core.Resources;
using Gantry.Core.Scheduling;
using Res = Gantry.Core.Resources.Resources;

namespace Gantry.Bench.Scheduler;

/// <summary>
/// Makes clusters, queues and jobs that look like a platform's: clusters of three sizes, a
/// fifth with GPUs, in two regions; queues of different weights, some with quotas or a region
/// selector; jobs from one-pod commands to Spark applications with many executors and GPU
/// training gangs.
/// </summary>
public static class Workload
{
    public const long Gi = 1L << 30;
    public static readonly HashSet<string> Kinds = ["Command", "SparkApplication", "PyTorchJob", "JAXJob"];
    private static readonly string[] Regions = ["east", "west"];

    public static IReadOnlyList<ClusterView> Clusters(WorkloadOptions options, Random random) =>
        Enumerable.Range(0, options.Clusters).Select(i =>
        {
            var gpuPerNode = i % 5 == 0 ? 8 : 0;
            var cpuPerNode = (i % 3) switch { 0 => 32, 1 => 64, _ => 96 };
            var node = new Res(cpuPerNode * 1000L, cpuPerNode * 4 * Gi, gpuPerNode);
            var nodes = Enumerable.Range(0, options.NodesPerCluster).Select(_ =>
            {
                var used = Scale(node, options.Busy * (0.5 + random.NextDouble()));
                return new NodeView(node, Clamp(node - used));
            }).ToList();
            return new ClusterView($"c{i:D3}", true, false, node * options.NodesPerCluster, nodes.Aggregate(Res.Zero, (s, n) => s + n.Free), Kinds)
            {
                Labels = new Dictionary<string, string> { ["region"] = Regions[i % 2], ["gpu"] = gpuPerNode > 0 ? "a100" : "none" },
                Nodes = nodes,
            };
        }).ToList();

    public static IReadOnlyList<Queue> Queues(WorkloadOptions options) =>
        Enumerable.Range(0, options.Queues).Select(i => new Queue
        {
            Name = $"q{i:D2}",
            Weight = 1 + i % 4,
            Priority = i % 10 == 0 ? 1 : 0,
            Quota = i % 7 == 0 ? new QueueQuota(CpuMillis: 2_000_000, Gpu: 64) : QueueQuota.Unlimited,
            ClusterSelector = i % 5 == 0 ? new Dictionary<string, string> { ["region"] = Regions[i % 2] } : [],
            Policy = (PlacementPolicy)(i % 3),
            Affinity = new Dictionary<string, string> { ["region"] = "east" },
        }).ToList();

    public static PendingJob Job(int index, string queue, DateTimeOffset createdAt, Random random)
    {
        var (kind, demand) = random.Next(10) switch
        {
            < 5 => ("Command", Pods(("main", 1, new Res(random.Next(1, 5) * 1000L, random.Next(1, 9) * Gi, 0)))),
            < 8 => ("SparkApplication", Pods(("driver", 1, new Res(1000, 2 * Gi, 0)), ("executor", random.Next(2, 21), new Res(random.Next(1, 5) * 1000L, 8 * Gi, 0)))),
            < 9 => ("PyTorchJob", Pods(("worker", random.Next(1, 5), new Res(8000, 64 * Gi, random.Next(1, 9))))),
            _ => ("JAXJob", Pods(("worker", random.Next(2, 9), new Res(4000, 16 * Gi, 0)))),
        };
        return new PendingJob($"job-{index:D7}", queue, kind, random.Next(100) < 5 ? 1 : 0, index, createdAt, demand);
    }

    private static ResourceDemand Pods(params (string Role, int Count, Res PerPod)[] pods) =>
        new(pods.Select(p => new PodDemand(p.Role, p.Count, p.PerPod)).ToList());

    private static Res Scale(Res r, double f) => new((long)(r.CpuMillis * f), (long)(r.MemoryBytes * f), (long)Math.Round(r.Gpu * f));

    private static Res Clamp(Res r) => new(Math.Max(0, r.CpuMillis), Math.Max(0, r.MemoryBytes), Math.Max(0, r.Gpu));
}
