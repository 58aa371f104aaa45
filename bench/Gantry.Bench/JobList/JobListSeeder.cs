using Gantry.Core.Clusters;
using Gantry.Core.Jobs;
using Gantry.Core.Queues;
using Gantry.Core.Resources;
using Gantry.Storage;
using Gantry.Storage.Sqlite;

namespace Gantry.Bench.JobList;

/// <summary>
/// A store as a busy gateway's looks after a while: mostly finished jobs, a few queued, over several
/// queues, kinds and owners, written straight to SQLite through the store (the gateway's own code).
/// The local cluster is cordoned so the gateway started on it never runs the queued ones.
/// </summary>
public static class JobListSeeder
{
    public const int Queues = 8;
    public const int Owners = 50;
    // JAXJob is rare on purpose: a filter on it must not walk the whole table.
    private static readonly string[] Kinds = ["SparkApplication", "SparkApplication", "PyTorchJob", "Command", "SparkApplication", "PyTorchJob", "Command", "SparkApplication", "PyTorchJob", "Command"];
    private static readonly string Manifest =
        """{"apiVersion":"sparkoperator.k8s.io/v1beta2","kind":"SparkApplication","metadata":{"name":"etl"},"spec":{"type":"Scala","mode":"cluster","image":"spark:3.5.3","mainClass":"org.example.Etl","mainApplicationFile":"local:///opt/app.jar","sparkVersion":"3.5.3","driver":{"cores":1,"memory":"2g"},"executor":{"instances":4,"cores":2,"memory":"4g"}}}""";

    public static async Task SeedAsync(string dataDir, int jobs, int seed, TextWriter log, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        await using var store = await StoreFactory.OpenSqliteAsync(Path.Combine(dataDir, "gantry.db"), SqliteSynchronous.Normal, cancellationToken);
        var now = DateTimeOffset.UtcNow;
        await store.Clusters.EnsureAsync(new Cluster { Name = Cluster.LocalName, Type = ClusterTypes.Local, CreatedAt = now }, cancellationToken);
        await store.Clusters.SetCordonedAsync(Cluster.LocalName, true, cancellationToken);
        for (var q = 0; q < Queues; q++)
        {
            await store.Queues.CreateAsync(new Queue { Name = QueueName(q), CreatedAt = now, UpdatedAt = now }, cancellationToken);
        }

        var random = new Random(seed);
        var demand = new ResourceDemand([new PodDemand("driver", 1, new Resources(1000, 2L << 30, 0)), new PodDemand("executor", 4, new Resources(2000, 4L << 30, 0))]);
        // Queued jobs are small commands: they wait for the cordoned local cluster instead of being
        // rejected as too big for it (which would write to the store while the queries are timed).
        var small = new ResourceDemand([new PodDemand("main", 1, new Resources(100, 64L << 20, 0))]);
        // Group commit batches concurrent inserts: keep many in flight.
        const int InFlight = 512;
        var pending = new List<Task>(InFlight);
        for (var i = 0; i < jobs; i++)
        {
            var created = now.AddSeconds(i - jobs);
            var state = StateFor(random.NextDouble());
            var job = new Job
            {
                Id = JobId.New(),
                Name = $"job-{i}",
                Kind = state == JobState.Queued ? "Command" : random.Next(1000) == 0 ? "JAXJob" : Kinds[random.Next(Kinds.Length)],
                Queue = QueueName(random.Next(Queues)),
                Owner = $"user{random.Next(Owners)}",
                Labels = new Dictionary<string, string> { ["team"] = $"t{random.Next(10)}" },
                Manifest = Manifest,
                Demand = state == JobState.Queued ? small : demand,
                State = state,
                Cluster = state == JobState.Queued ? null : "local",
                Message = state == JobState.Queued ? "waiting for the scheduler" : "exit code 0",
                CreatedAt = created,
                UpdatedAt = created,
                StartedAt = state == JobState.Queued ? null : created.AddSeconds(1),
                FinishedAt = state == JobState.Queued ? null : created.AddSeconds(30),
            };
            pending.Add(store.Jobs.InsertAsync(new NewJob(job), cancellationToken));
            if (pending.Count == InFlight)
            {
                await Task.WhenAll(pending);
                pending.Clear();
            }
        }
        await Task.WhenAll(pending);
        log.WriteLine($"seeded {jobs} jobs over {Queues} queues and {Owners} owners in {started.Elapsed.TotalSeconds:F1} s");
    }

    public static string QueueName(int index) => index == 0 ? Queue.DefaultName : $"q{index}";

    /// <summary>90% succeeded, 5% failed, 3% cancelled, 2% queued: the mix of a gateway that keeps its history.</summary>
    private static JobState StateFor(double draw) => draw switch
    {
        < 0.90 => JobState.Succeeded,
        < 0.95 => JobState.Failed,
        < 0.98 => JobState.Cancelled,
        _ => JobState.Queued,
    };
}
