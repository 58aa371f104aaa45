using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using Gantry.Bench.Scheduler;
using Gantry.Sandbox;
using Gantry.Server.Hosting;
using Gantry.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Gantry.Bench.Monitoring;

/// <summary>
/// <c>gantry-bench metrics</c>: how long <c>/metrics</c> takes to render for a large installation.
/// Seeds the store (jobs, queues), starts the gateway in this process, registers the clusters
/// (sandbox API servers, each registered under several names, all cordoned), waits until every
/// cluster is observed, then times sequential scrapes of <c>/metrics</c> against <c>/healthz</c>
/// (the baseline: the same HTTP path with no work) in the same run.
/// </summary>
public static class MetricsCommand
{
    public static Command Create()
    {
        var jobs = new Option<int>("--jobs") { Description = "Jobs in the store.", DefaultValueFactory = _ => 100_000 };
        var queues = new Option<int>("--queues") { Description = "Queues.", DefaultValueFactory = _ => 50 };
        var clusters = new Option<int>("--clusters") { Description = "Registered Kubernetes clusters.", DefaultValueFactory = _ => 100 };
        var sandboxes = new Option<int>("--sandboxes") { Description = "Sandbox API servers the clusters are spread over.", DefaultValueFactory = _ => 4 };
        var scrapes = new Option<int>("--scrapes") { Description = "Timed scrapes of each path (after 20 unmeasured).", DefaultValueFactory = _ => 300 };
        var seed = new Option<int>("--seed") { Description = "Random seed of the seeded jobs.", DefaultValueFactory = _ => 42 };
        var command = new Command("metrics", "Time /metrics with many clusters, queues and stored jobs, against /healthz.")
        {
            jobs, queues, clusters, sandboxes, scrapes, seed,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(jobs), parse.GetValue(queues), parse.GetValue(clusters), parse.GetValue(sandboxes), parse.GetValue(scrapes), parse.GetValue(seed), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(int jobs, int queues, int clusters, int sandboxes, int scrapes, int seed, CancellationToken cancellationToken)
    {
        if (jobs < 1 || queues < 1 || clusters < 1 || sandboxes < 1 || scrapes < 1)
        {
            Console.Error.WriteLine("--jobs, --queues, --clusters, --sandboxes and --scrapes must be at least 1");
            return 2;
        }
        var dataDir = Directory.CreateTempSubdirectory("gantry-bench-metrics-").FullName;
        var fleet = new List<SandboxCluster>();
        try
        {
            await MetricsSeeder.SeedAsync(dataDir, jobs, queues, clusters, seed, Console.Out, cancellationToken);
            for (var i = 0; i < sandboxes; i++)
            {
                fleet.Add(await SandboxCluster.StartAsync(new SandboxClusterOptions
                {
                    Name = $"sandbox-{i}",
                    Nodes = [new SandboxNode("node-1", "64", "256Gi"), new SandboxNode("node-2", "64", "256Gi", 8)],
                }, cancellationToken));
            }
            var url = $"http://127.0.0.1:{FreePort()}";
            await using var app = await GantryApp.BuildAsync([], new Dictionary<string, string?>
            {
                ["urls"] = url,
                ["Gantry:DataDir"] = dataDir,
                ["Gantry:PublicUrl"] = url,
                ["Gantry:Kubernetes:RefreshMilliseconds"] = "5000",
                ["Logging:LogLevel:Default"] = "Warning",
            }, cancellationToken);
            await app.StartAsync(cancellationToken);
            using var client = new HttpClient { BaseAddress = new Uri(url + "/"), Timeout = TimeSpan.FromSeconds(60) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await File.ReadAllTextAsync(Path.Combine(dataDir, "admin.token"), cancellationToken)).Trim());
            var registering = Stopwatch.StartNew();
            for (var i = 0; i < clusters; i++)
            {
                var sandbox = fleet[i % fleet.Count];
                var name = MetricsSeeder.ClusterName(i);
                (await client.PostAsJsonAsync("api/v1/clusters", new
                {
                    name,
                    server = sandbox.Server.ToString(),
                    token = sandbox.AdminToken,
                    certificateAuthorityData = sandbox.CertificateAuthorityData,
                    @namespace = "default",
                }, cancellationToken)).EnsureSuccessStatusCode();
                (await client.PostAsync($"api/v1/clusters/{name}/cordon", null, cancellationToken)).EnsureSuccessStatusCode();
            }
            var observed = await WaitObservedAsync(client, clusters, cancellationToken);
            Console.WriteLine($"{clusters} clusters over {fleet.Count} sandbox API servers registered and observed in {registering.Elapsed.TotalSeconds:F1} s ({observed} healthy)");

            var body = await client.GetStringAsync("metrics", cancellationToken);
            var series = body.Split('\n').Count(l => l.Length > 0 && !l.StartsWith('#'));
            Console.WriteLine($"/metrics: {series} series, {body.Length / 1024.0:F0} KiB");
            var store = app.Services.GetRequiredService<IGantryStore>();
            var counts = new List<double>();
            for (var i = 0; i < 10; i++)
            {
                var start = Stopwatch.GetTimestamp();
                await store.Jobs.CountGroupsAsync(cancellationToken);
                counts.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
            Console.WriteLine($"job counts (the GROUP BY /metrics refreshes in the background, at most every 5 s): p50 {Percentile.Of(counts, 50):F1} ms, max {counts.Max():F1} ms");

            Console.WriteLine($"{scrapes} sequential requests per path after 20 unmeasured, alternating; times in ms");
            Console.WriteLine($"{"path",-28} {"p50",8} {"p99",8} {"max",8}");
            var healthz = new List<double>(scrapes);
            var metrics = new List<double>(scrapes);
            for (var i = 0; i < scrapes + 20; i++)
            {
                var h = await TimeAsync(client, "healthz", cancellationToken);
                var m = await TimeAsync(client, "metrics", cancellationToken);
                if (i >= 20)
                {
                    healthz.Add(h);
                    metrics.Add(m);
                }
            }
            Console.WriteLine($"{"baseline: /healthz",-28} {Percentile.Of(healthz, 50),8:F2} {Percentile.Of(healthz, 99),8:F2} {healthz.Max(),8:F2}");
            Console.WriteLine($"{"/metrics",-28} {Percentile.Of(metrics, 50),8:F2} {Percentile.Of(metrics, 99),8:F2} {metrics.Max(),8:F2}");
            Console.WriteLine($"metrics render: jobs={jobs} queues={queues} clusters={clusters} series={series} p50_ms={Percentile.Of(metrics, 50):F2} p99_ms={Percentile.Of(metrics, 99):F2} healthz_p50_ms={Percentile.Of(healthz, 50):F2} healthz_p99_ms={Percentile.Of(healthz, 99):F2}");
            await app.StopAsync(cancellationToken);
            return 0;
        }
        finally
        {
            foreach (var sandbox in fleet)
            {
                await sandbox.DisposeAsync();
            }
            Directory.Delete(dataDir, recursive: true);
        }
    }

    /// <summary>Until every cluster shows a capacity in /metrics (the scheduler's round has observed it); at most two minutes.</summary>
    private static async Task<int> WaitObservedAsync(HttpClient client, int clusters, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        var healthy = 0;
        while (deadline.Elapsed < TimeSpan.FromMinutes(2))
        {
            var body = await client.GetStringAsync("metrics", cancellationToken);
            healthy = body.Split('\n').Count(l => l.StartsWith("gantry_cluster_healthy{cluster=\"c", StringComparison.Ordinal) && l.EndsWith(" 1", StringComparison.Ordinal));
            if (healthy >= clusters)
            {
                break;
            }
            await Task.Delay(500, cancellationToken);
        }
        return healthy;
    }

    private static async Task<double> TimeAsync(HttpClient client, string path, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        using var response = await client.GetAsync(path, cancellationToken);
        await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        response.EnsureSuccessStatusCode();
        return elapsed;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
