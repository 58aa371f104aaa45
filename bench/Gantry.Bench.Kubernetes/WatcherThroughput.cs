using System.Diagnostics;
using System.Text.Json;
using Gantry.Backends;
using Gantry.Backends.Kubernetes;
using Gantry.Core.Jobs;
using Gantry.Core.Resources;
using Gantry.Server.Jobs;
using Gantry.Storage;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Bench.Kubernetes;

/// <summary>
/// How many job-status events per second the watcher's path turns into stored state: watch
/// events (SparkApplication RUNNING, then COMPLETED) go through the same JobStatusReporter the
/// informers feed, into the gateway's real JobLifecycle and store, with one feeder per informer
/// (3 clusters x 3 kinds = 9). The baseline, in the same run and process, hands the same
/// transitions straight to JobLifecycle.ReportAsync, so the difference is the watcher's own cost
/// and the rest is the store's.
/// </summary>
internal static class WatcherThroughput
{
    public sealed record Result(int Events, double WatcherPerSecond, double BaselinePerSecond);

    public static async Task<Result> RunAsync(BenchGateway gateway, int events, int feeders)
    {
        var services = gateway.App.Services;
        var lifecycle = services.GetRequiredService<JobLifecycle>();
        var store = services.GetRequiredService<IGantryStore>();
        var jobsPerRun = events / 2;

        var baselineJobs = await SubmittedJobsAsync(store, jobsPerRun);
        var baseline = await TimeAsync(baselineJobs, feeders, async id =>
        {
            await lifecycle.ReportAsync(new JobUpdate(id, JobState.Running, "the driver is running"), CancellationToken.None);
            await lifecycle.ReportAsync(new JobUpdate(id, JobState.Succeeded, "the Spark application completed"), CancellationToken.None);
        });

        var watcherJobs = await SubmittedJobsAsync(store, jobsPerRun);
        var workload = Workloads.Find("SparkApplication")!;
        var tracker = new JobTracker();
        foreach (var id in watcherJobs)
        {
            tracker.Track(id, workload).ExpectedSince = tracker.Tick();
        }
        using var client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = "https://127.0.0.1:1" });
        var reporter = new JobStatusReporter(tracker, lifecycle, new Uri("https://127.0.0.1:1/"), (_, _) => Task.CompletedTask,
            new FailureDetails(client), new StaleCopies(client, tracker, new NoJobDirectory(), "bench", NullLogger.Instance), inMemorySandbox: false,
            NullLogger.Instance);
        var watcher = await TimeAsync(watcherJobs, feeders, async id =>
        {
            await reporter.ChangedAsync(workload, WatchEventType.Modified, Resource(id, "RUNNING"), CancellationToken.None);
            await reporter.ChangedAsync(workload, WatchEventType.Modified, Resource(id, "COMPLETED"), CancellationToken.None);
        });
        foreach (var id in watcherJobs.Take(20))
        {
            if ((await store.Jobs.GetAsync(id, CancellationToken.None))!.State != JobState.Succeeded)
            {
                throw new InvalidOperationException($"Job {id} was not stored as Succeeded by the watcher path.");
            }
        }
        return new Result(jobsPerRun * 2, jobsPerRun * 2 / watcher.TotalSeconds, jobsPerRun * 2 / baseline.TotalSeconds);
    }

    /// <summary>Runs <paramref name="work"/> for every job, <paramref name="feeders"/> at a time, each feeder serial like one informer.</summary>
    private static async Task<TimeSpan> TimeAsync(IReadOnlyList<string> jobs, int feeders, Func<string, Task> work)
    {
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, feeders).Select(f => Task.Run(async () =>
        {
            for (var i = f; i < jobs.Count; i += feeders)
            {
                await work(jobs[i]);
            }
        })));
        return clock.Elapsed;
    }

    private static async Task<IReadOnlyList<string>> SubmittedJobsAsync(IGantryStore store, int count)
    {
        var ids = new List<string>(count);
        var now = DateTimeOffset.UtcNow;
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (_, ct) =>
        {
            var job = new Job
            {
                Id = JobId.New(), Name = "bench", Kind = "SparkApplication", Queue = "default", Owner = "admin",
                Manifest = "{}", Demand = ResourceDemand.None, CreatedAt = now, UpdatedAt = now,
                // Already placed and submitted: the scheduler leaves it alone.
                State = JobState.Submitted, Cluster = "bench-1",
            };
            await store.Jobs.InsertAsync(new NewJob(job, null, null), ct);
            lock (ids)
            {
                ids.Add(job.Id);
            }
        });
        return ids;
    }

    private static JsonElement Resource(string id, string state) => JsonSerializer.SerializeToElement(new
    {
        apiVersion = "sparkoperator.k8s.io/v1beta2",
        kind = "SparkApplication",
        metadata = new Dictionary<string, object>
        {
            ["name"] = "g-" + id,
            ["namespace"] = "default",
            ["resourceVersion"] = "1",
            ["labels"] = new Dictionary<string, string> { [GantryLabels.JobId] = id },
        },
        status = new { applicationState = new { state, errorMessage = "" }, driverInfo = new { webUIServiceName = $"g-{id}-ui-svc", webUIPort = 4040 } },
    });
}
