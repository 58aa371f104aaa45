using Gantry.Core.Queues;
using Gantry.Core.Resources;
using Gantry.Core.Scheduling;

namespace Gantry.Core.Tests.Scheduling;

/// <summary>Hand-built snapshots: clusters, queues and jobs in a line each.</summary>
internal static class Snapshots
{
    public static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    public static readonly HashSet<string> AllKinds = ["Command", "SparkApplication", "PyTorchJob", "JAXJob", "TrainJob"];
    private const long Gi = 1L << 30;

    public static ClusterView Cluster(
        string name, long cpu, long? freeCpu = null, long gpu = 0, long? freeGpu = null, long memoryGi = 1024,
        bool healthy = true, bool cordoned = false, Dictionary<string, string>? labels = null, params NodeView[] nodes) =>
        new(name, healthy, cordoned,
            new Core.Resources.Resources(cpu * 1000, memoryGi * Gi, gpu),
            new Core.Resources.Resources((freeCpu ?? cpu) * 1000, memoryGi * Gi, freeGpu ?? gpu),
            AllKinds)
        {
            Labels = labels ?? [],
            Nodes = nodes,
        };

    public static NodeView Node(long cpu, long? freeCpu = null, long gpu = 0, long memoryGi = 256) =>
        new(new Core.Resources.Resources(cpu * 1000, memoryGi * Gi, gpu), new Core.Resources.Resources((freeCpu ?? cpu) * 1000, memoryGi * Gi, gpu));

    public static PendingJob Job(string id, long seq, double cpu = 1, long gpu = 0, string queue = "default", int priority = 0,
        int pods = 1, TimeSpan? age = null, string kind = "Command") =>
        new(id, queue, kind, priority, seq, Now - (age ?? TimeSpan.FromSeconds(1)),
            new ResourceDemand([new PodDemand("worker", pods, new Core.Resources.Resources((long)(cpu * 1000), Gi, gpu))]));

    public static QueueView Queue(string name, double weight = 1, int priority = 0, QueueQuota? quota = null,
        Dictionary<string, string>? selector = null, PlacementPolicy policy = PlacementPolicy.LeastLoaded,
        Dictionary<string, string>? affinity = null, QueueUsage usage = default) =>
        new(new Queue
        {
            Name = name,
            Weight = weight,
            Priority = priority,
            Quota = quota ?? QueueQuota.Unlimited,
            ClusterSelector = selector ?? [],
            Policy = policy,
            Affinity = affinity ?? [],
        }, usage);

    public static SchedulingSnapshot Of(IReadOnlyList<ClusterView> clusters, IReadOnlyList<QueueView> queues, params PendingJob[] jobs) =>
        new(Now, jobs, queues, clusters, new SchedulerSettings { ReserveAfter = TimeSpan.FromMinutes(10) });

    public static SchedulingSnapshot Of(IReadOnlyList<ClusterView> clusters, params PendingJob[] jobs) =>
        Of(clusters, [Queue("default")], jobs);

    public static string PlacedOn(this SchedulingResult result, string jobId) =>
        result.Placements.Single(p => p.JobId == jobId).Cluster;

    public static Core.Resources.Resources Cpu(long cores, long gpu = 0) => new(cores * 1000, Gi, gpu);
}
