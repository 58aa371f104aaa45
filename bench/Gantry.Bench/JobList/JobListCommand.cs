using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Gantry.Bench.Scheduler;
using Gantry.Server.Hosting;

namespace Gantry.Bench.JobList;

/// <summary>
/// <c>gantry-bench joblist</c>: the dashboard's jobs page against a store of many jobs. Seeds the
/// store, starts the gateway in this process on a loopback port, and times the first page of
/// <c>GET /api/v1/jobs</c> with the filters the page offers, after the baseline of an
/// authenticated request that reads no job (<c>GET /api/v1/whoami</c>) in the same run.
/// </summary>
public static class JobListCommand
{
    public static Command Create()
    {
        var jobs = new Option<int>("--jobs") { Description = "Jobs in the store.", DefaultValueFactory = _ => 100_000 };
        var requests = new Option<int>("--requests") { Description = "Timed requests per query (after 20 unmeasured).", DefaultValueFactory = _ => 200 };
        var seed = new Option<int>("--seed") { Description = "Random seed of the seeded jobs.", DefaultValueFactory = _ => 42 };
        var command = new Command("joblist", "Time the jobs page's API calls (first page, filtered pages, a later page) over a store of many jobs.")
        {
            jobs, requests, seed,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(jobs), parse.GetValue(requests), parse.GetValue(seed), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(int jobs, int requests, int seed, CancellationToken cancellationToken)
    {
        if (jobs < 1 || requests < 1)
        {
            Console.Error.WriteLine("--jobs and --requests must be at least 1");
            return 2;
        }
        var dataDir = Directory.CreateTempSubdirectory("gantry-bench-joblist-").FullName;
        try
        {
            await JobListSeeder.SeedAsync(dataDir, jobs, seed, Console.Out, cancellationToken);
            var url = $"http://127.0.0.1:{FreePort()}";
            await using var app = await GantryApp.BuildAsync([], new Dictionary<string, string?>
            {
                ["urls"] = url,
                ["Gantry:DataDir"] = dataDir,
                ["Gantry:PublicUrl"] = url,
                ["Logging:LogLevel:Default"] = "Warning",
            }, cancellationToken);
            await app.StartAsync(cancellationToken);
            using var client = new HttpClient { BaseAddress = new Uri(url + "/") };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await File.ReadAllTextAsync(Path.Combine(dataDir, "admin.token"), cancellationToken)).Trim());

            var first = JsonNode.Parse(await client.GetStringAsync("api/v1/jobs?limit=50", cancellationToken))!;
            // The 20th page: the cursor of a user who clicked "Load more" 19 times.
            // A small store (the suite's smoke run) has fewer pages: the last one stands in.
            var cursor = first["nextCursor"]?.GetValue<string>();
            for (var page = 2; page < 20 && cursor is not null; page++)
            {
                var next = JsonNode.Parse(await client.GetStringAsync($"api/v1/jobs?limit=50&cursor={cursor}", cancellationToken))!["nextCursor"]?.GetValue<string>();
                if (next is null)
                {
                    break;
                }
                cursor = next;
            }
            var queries = new (string Name, string Path)[]
            {
                ("baseline: whoami (auth, no store)", "api/v1/whoami"),
                ("first page", "api/v1/jobs?limit=50"),
                ("state=Queued (2%)", "api/v1/jobs?limit=50&state=Queued"),
                ("state=Succeeded (90%)", "api/v1/jobs?limit=50&state=Succeeded"),
                ("state=Failed (5%)", "api/v1/jobs?limit=50&state=Failed"),
                ("state=Queued,Running (active)", "api/v1/jobs?limit=50&state=Queued,Running"),
                ("state=Running (none)", "api/v1/jobs?limit=50&state=Running"),
                ("queue=q3 (1/8)", "api/v1/jobs?limit=50&queue=q3"),
                ("state=Queued&queue=q3", "api/v1/jobs?limit=50&state=Queued&queue=q3"),
                ("kind=PyTorchJob (30%)", "api/v1/jobs?limit=50&kind=PyTorchJob"),
                ("kind=JAXJob (0.1%)", "api/v1/jobs?limit=50&kind=JAXJob"),
                ("owner=user7 (1/50)", "api/v1/jobs?limit=50&owner=user7"),
                ("state=Failed&kind=PyTorchJob&owner=user7", "api/v1/jobs?limit=50&state=Failed&kind=PyTorchJob&owner=user7"),
                ("20th page (cursor)", $"api/v1/jobs?limit=50&cursor={cursor}"),
            };
            Console.WriteLine($"{jobs} jobs stored; {requests} sequential requests per query after 20 unmeasured; times in ms");
            Console.WriteLine($"{"query",-40} {"items",5} {"p50",8} {"p99",8} {"max",8}");
            foreach (var (name, path) in queries)
            {
                var (items, times) = await TimeAsync(client, path, requests, cancellationToken);
                Console.WriteLine($"{name,-40} {items,5} {Percentile.Of(times, 50),8:F2} {Percentile.Of(times, 99),8:F2} {times.Max(),8:F2}");
            }
            await app.StopAsync(cancellationToken);
            return 0;
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static async Task<(int Items, List<double> Times)> TimeAsync(HttpClient client, string path, int requests, CancellationToken cancellationToken)
    {
        var times = new List<double>(requests);
        var items = 0;
        for (var i = 0; i < requests + 20; i++)
        {
            var start = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(path, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            response.EnsureSuccessStatusCode();
            if (i >= 20)
            {
                times.Add(elapsed);
            }
            items = JsonNode.Parse(body)!["items"]?.AsArray().Count ?? 1;
        }
        return (items, times);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
