using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Gantry.Bench.Replicas;

/// <summary>Closed-loop submissions for a fixed time, spread round-robin over the given replicas, with every cluster cordoned so nothing runs.</summary>
internal static class SubmitBench
{
    public sealed record Result(double PerSecond, double P99);

    public static async Task<Result> RunAsync(Fleet fleet, IReadOnlyList<Replica> through, int seconds, int concurrency, CancellationToken cancellationToken)
    {
        await CordonAllAsync(fleet, cordon: true, cancellationToken);
        var clients = through.Select(r => r.Client(fleet.Token)).ToList();
        var body = Fleet.Envelope("load");
        var latencies = new List<double>[concurrency];
        var until = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(async w =>
        {
            var mine = latencies[w] = [];
            var client = clients[w % clients.Count];
            while (until.Elapsed < TimeSpan.FromSeconds(seconds))
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await client.PostAsync("api/v1/jobs", new StringContent(body, Encoding.UTF8, "application/json"), cancellationToken);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
        });
        await Task.WhenAll(workers);
        var elapsed = until.Elapsed.TotalSeconds;
        clients.ForEach(c => c.Dispose());
        var all = latencies.SelectMany(l => l).ToList();
        await CancelQueuedAsync(fleet, cancellationToken);
        await CordonAllAsync(fleet, cordon: false, cancellationToken);
        return new Result(all.Count / elapsed, Stats.Percentile(all, 99));
    }

    internal static async Task CordonAllAsync(Fleet fleet, bool cordon, CancellationToken cancellationToken)
    {
        using var client = fleet.Replicas.First(r => r.Running).Client(fleet.Token);
        var clusters = JsonNode.Parse(await client.GetStringAsync("api/v1/clusters", cancellationToken))!["items"]!.AsArray();
        foreach (var name in clusters.Select(c => c!["name"]!.GetValue<string>()).Where(n => n != "local"))
        {
            (await client.PostAsync($"api/v1/clusters/{name}/{(cordon ? "cordon" : "uncordon")}", null, cancellationToken)).EnsureSuccessStatusCode();
        }
    }

    /// <summary>Cancels what the load left queued, so the next measurement starts from an empty queue.</summary>
    private static async Task CancelQueuedAsync(Fleet fleet, CancellationToken cancellationToken)
    {
        using var client = fleet.Replicas.First(r => r.Running).Client(fleet.Token);
        while (true)
        {
            var page = JsonNode.Parse(await client.GetStringAsync("api/v1/jobs?state=Queued&limit=500", cancellationToken))!["items"]!.AsArray();
            if (page.Count == 0)
            {
                return;
            }
            await Parallel.ForEachAsync(page, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (job, ct) =>
                (await client.PostAsync($"api/v1/jobs/{job!["id"]!.GetValue<string>()}/cancel", null, ct)).Dispose());
        }
    }
}
