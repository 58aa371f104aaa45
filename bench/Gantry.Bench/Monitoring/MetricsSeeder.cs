using Gantry.Core.Clusters;
using Gantry.Core.Jobs;
using Gantry.Core.Queues;
using Gantry.Core.Resources;
using Gantry.Storage;
using Gantry.Storage.Sqlite;

namespace Gantry.Bench.Monitoring;

/// <summary>
/// A store for the /metrics benchmark: many queues, jobs spread over many clusters (named as the
/// command registers them later), mostly finished. Queued jobs are small commands and the local
/// cluster is cordoned, so they wait and nothing changes while /metrics is timed.
/// </summary>
public static class MetricsSeeder
{
    private static readonly string[] Kinds = ["SparkApplication", "PyTorchJob", "JAXJob", "SparkApplication"];
    private static readonly JobState[] Finished = [JobState.Succeeded, JobState.Succeeded, JobState.Succeeded, JobState.Failed, JobState.Cancelled];

    public static string ClusterName(int index) => $"c{index:D3}";

    public static string QueueName(int index) => index == 0 ? Queue.DefaultName : $"q{index:D2}";

    public static async Task SeedAsync(string dataDir, int jobs, int queues, int clusters, int seed, TextWriter log, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        await using var store = await StoreFactory.OpenSqliteAsync(Path.Combine(dataDir, "gantry.db"), SqliteSynchronous.Normal, cancellationToken);
        var now = DateTimeOffset.UtcNow;
        await store.Clusters.EnsureAsync(new Cluster { Name = Cluster.LocalName, Type = ClusterTypes.Local, CreatedAt = now }, cancellationToken);
        await store.Clusters.SetCordonedAsync(Cluster.LocalName, true, cancellationToken);
        for (var q = 0; q < queues; q++)
        {
            await store.Queues.CreateAsync(new Queue { Name = QueueName(q), Weight = 1 + q % 4, CreatedAt = now, UpdatedAt = now }, cancellationToken);
        }
        var random = new Random(seed);
        var demand = new ResourceDemand([new PodDemand("driver", 1, new Resources(1000, 2L << 30, 0)), new PodDemand("executor", 2, new Resources(2000, 4L << 30, 0))]);
        var small = new ResourceDemand([new PodDemand("main", 1, new Resources(100, 64L << 20, 0))]);
        const int InFlight = 512;
        var pending = new List<Task>(InFlight);
        for (var i = 0; i < jobs; i++)
        {
            var created = now.AddSeconds(i - jobs);
            var queued = random.Next(50) == 0;
            var state = queued ? JobState.Queued : Finished[random.Next(Finished.Length)];
            var job = new Job
            {
                Id = JobId.New(),
                Name = $"job-{i}",
                Kind = queued ? "Command" : Kinds[random.Next(Kinds.Length)],
                Queue = QueueName(random.Next(queues)),
                Owner = $"user{random.Next(50)}",
                Manifest = "{}",
                Demand = queued ? small : demand,
                State = state,
                Cluster = queued ? null : ClusterName(random.Next(clusters)),
                Message = queued ? "waiting for the scheduler" : "done",
                CreatedAt = created,
                UpdatedAt = created,
                StartedAt = queued ? null : created.AddSeconds(1),
                FinishedAt = queued ? null : created.AddSeconds(30),
            };
            pending.Add(store.Jobs.InsertAsync(new NewJob(job), cancellationToken));
            if (pending.Count == InFlight)
            {
                await Task.WhenAll(pending);
                pending.Clear();
            }
        }
        await Task.WhenAll(pending);
        log.WriteLine($"seeded {jobs} jobs over {queues} queues and {clusters} clusters in {started.Elapsed.TotalSeconds:F1} s");
    }
}
