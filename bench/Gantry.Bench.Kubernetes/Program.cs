using System.Globalization;
using Gantry.Bench.Kubernetes;

// gantry-bench-kubernetes [--jobs N] [--events N] [--clusters N] [--crds DIR] [--scheduler-ms N]
var settings = args.Select((a, i) => (a, i)).Where(x => x.a.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(x => x.a[2..], x => x.i + 1 < args.Length ? args[x.i + 1] : "", StringComparer.Ordinal);
int Int(string key, int fallback) => settings.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
var jobs = Int("jobs", 300);
var events = Int("events", 20_000);
var clusters = Int("clusters", 3);
var schedulerMs = Int("scheduler-ms", 100);
var crds = settings.GetValueOrDefault("crds") ?? FindCrds();
var inv = CultureInfo.InvariantCulture;

await using var gateway = await BenchGateway.StartAsync(clusters, crds, schedulerMs);
Console.WriteLine(string.Create(inv, $"gateway with {clusters} sandbox clusters (SQLite, scheduler every {schedulerMs} ms), {Environment.ProcessorCount} cores"));

var latency = await DispatchLatency.RunAsync(gateway, jobs, concurrency: 16);
Console.WriteLine(string.Create(inv,
    $"submit -> custom resource created: {latency.Jobs} SparkApplications, p50 {latency.P50:F1} ms, p99 {latency.P99:F1} ms, max {latency.Max:F1} ms " +
    $"(submitted in {latency.SubmitSeconds:F1} s, all Succeeded after {latency.AllSucceededSeconds:F1} s)"));

var throughput = await WatcherThroughput.RunAsync(gateway, events, feeders: clusters * 3);
Console.WriteLine(string.Create(inv,
    $"watch events -> stored state: {throughput.Events} events, watcher path {throughput.WatcherPerSecond:F0}/s, " +
    $"baseline (JobLifecycle.ReportAsync alone) {throughput.BaselinePerSecond:F0}/s"));
return 0;

static string FindCrds()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared", "crds"), Path.Combine(dir.FullName, "..", "shared", "crds") })
        {
            if (Directory.Exists(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }
    }
    throw new DirectoryNotFoundException("No shared/crds found; pass --crds DIR.");
}
