using System.CommandLine;
using System.Diagnostics;
using Gantry.Testing;
using Gantry.Testing.Fuzzing;

namespace Gantry.Bench.Fuzz;

/// <summary>
/// <c>gantry-bench fuzz</c>: the suite's API fuzzer for longer (200,000 requests by default)
/// against a gateway started in this process, after a baseline of valid requests
/// (<c>GET /api/v1/whoami</c>) timed the same way in the same run. Prints the answers by status,
/// the rate against the baseline, the memory before and after, and every violation; exits 1 on any.
/// </summary>
public static class FuzzCommand
{
    public static Command Create()
    {
        var requests = new Option<int>("--requests") { Description = "Mutated requests to send.", DefaultValueFactory = _ => 200_000 };
        var seed = new Option<int>("--seed") { Description = "Seed of the mutations.", DefaultValueFactory = _ => 20261202 };
        var concurrency = new Option<int>("--concurrency") { Description = "Requests in flight at once.", DefaultValueFactory = _ => 4 };
        var command = new Command("fuzz", "Send seeded, mutated requests to every body- and query-reading endpoint; report 5xx, dropped connections and malformed 4xx.")
        {
            requests, seed, concurrency,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(requests), parse.GetValue(seed), parse.GetValue(concurrency), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(int requests, int seed, int concurrency, CancellationToken cancellationToken)
    {
        if (requests < 1 || concurrency < 1)
        {
            Console.Error.WriteLine("--requests and --concurrency must be at least 1");
            return 2;
        }
        var settings = new Dictionary<string, string?>(FuzzGateway.Settings) { ["Logging:LogLevel:Default"] = "None" };
        await using var gateway = await TestGateway.StartAsync(settings);
        await gateway.SetCordonAsync(true);
        using var admin = gateway.Client();
        var job = await admin.SubmitAsync(TestJobs.Shell("true"));

        var baseline = await BaselineAsync(gateway, Math.Min(requests, 20_000), concurrency, cancellationToken);
        var before = Memory();
        var seeded = await admin.PostAsync("api/v1/experiments", new StringContent(FuzzCorpus.SeedExperiment, System.Text.Encoding.UTF8, "application/json"), cancellationToken);
        var experimentId = System.Text.Json.Nodes.JsonNode.Parse(await seeded.Content.ReadAsStringAsync(cancellationToken))!["id"]!.GetValue<string>();
        var corpus = new FuzzCorpus(seed, job.Id(), FuzzCorpus.ExampleManifests(), experimentId);
        var report = await RequestFuzzer.RunAsync(gateway.Url, gateway.AdminToken, corpus, requests, concurrency, cancellationToken);
        GC.Collect();
        var after = Memory();
        var alive = (await gateway.AnonymousClient().GetAsync("healthz", cancellationToken)).IsSuccessStatusCode;

        Console.WriteLine($"baseline: {baseline:F0} valid requests/s (GET /api/v1/whoami, {concurrency} in flight)");
        Console.WriteLine($"fuzz: {report.Summary()}");
        Console.WriteLine($"fuzz rate / baseline: {report.Requests / report.Elapsed.TotalSeconds / baseline:P0}");
        Console.WriteLine($"memory: managed heap {before.Heap / 1048576.0:F0} -> {after.Heap / 1048576.0:F0} MiB, working set {before.WorkingSet / 1048576.0:F0} -> {after.WorkingSet / 1048576.0:F0} MiB");
        Console.WriteLine($"process alive after the run: {alive}");
        foreach (var violation in report.AllViolations.Take(50))
        {
            Console.WriteLine("VIOLATION " + violation);
        }
        return report.AllViolations.Any() || !alive ? 1 : 0;
    }

    private static async Task<double> BaselineAsync(TestGateway gateway, int requests, int concurrency, CancellationToken cancellationToken)
    {
        using var client = gateway.Client();
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < requests)
            {
                using var response = await client.GetAsync("api/v1/whoami", cancellationToken);
                response.EnsureSuccessStatusCode();
            }
        }));
        return requests / clock.Elapsed.TotalSeconds;
    }

    private static (long Heap, long WorkingSet) Memory() => (GC.GetTotalMemory(forceFullCollection: true), Process.GetCurrentProcess().WorkingSet64);
}
