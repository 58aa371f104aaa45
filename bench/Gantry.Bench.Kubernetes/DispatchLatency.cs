using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Backends.Kubernetes;
using k8s;

namespace Gantry.Bench.Kubernetes;

/// <summary>
/// Submit through the API to custom resource created: the time from sending POST /jobs to the
/// moment a watch on the cluster sees the SparkApplication ADDED, for every job, over real HTTP
/// and HTTPS. Includes the wait for the next scheduling round.
/// </summary>
internal static class DispatchLatency
{
    public sealed record Result(int Jobs, double P50, double P99, double Max, double SubmitSeconds, double AllSucceededSeconds);

    public static async Task<Result> RunAsync(BenchGateway gateway, int jobs, int concurrency)
    {
        var created = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        using var stop = new CancellationTokenSource();
        var watches = gateway.Clusters.Select(c => WatchAsync(c, created, stop.Token)).ToList();
        await Task.Delay(500);

        var sent = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < jobs)
            {
                var start = Stopwatch.GetTimestamp();
                var response = await gateway.Client.PostAsJsonAsync("api/v1/jobs", Envelope());
                response.EnsureSuccessStatusCode();
                var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
                sent[id] = start;
            }
        }));
        var submitSeconds = clock.Elapsed.TotalSeconds;
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (sent.Keys.Any(id => !created.ContainsKey(id)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        var latencies = sent.Where(s => created.ContainsKey(s.Key))
            .Select(s => Stopwatch.GetElapsedTime(s.Value, created[s.Key]).TotalMilliseconds)
            .Order()
            .ToList();
        while (await SucceededAsync(gateway) < jobs && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        var allDone = clock.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        await Task.WhenAll(watches);
        if (latencies.Count < jobs)
        {
            throw new TimeoutException($"Only {latencies.Count} of {jobs} custom resources appeared.");
        }
        return new Result(jobs, Percentiles.Of(latencies, 50), Percentiles.Of(latencies, 99), latencies[^1], submitSeconds, allDone);
    }

    private static JsonObject Envelope() => new()
    {
        ["queue"] = "default",
        ["manifest"] = JsonNode.Parse("""
            {"apiVersion": "sparkoperator.k8s.io/v1beta2", "kind": "SparkApplication",
             "metadata": {"annotations": {"sandbox.gantry.io/duration": "1s"}},
             "spec": {"type": "Scala", "mode": "cluster", "image": "spark:4", "sparkVersion": "4.0.0",
                      "mainApplicationFile": "local:///opt/spark/examples/jars/spark-examples.jar",
                      "driver": {"cores": 1, "memory": "512m"}, "executor": {"instances": 1, "cores": 1, "memory": "512m"}}}
            """),
    };

    private static async Task<int> SucceededAsync(BenchGateway gateway)
    {
        var count = 0;
        string? cursor = null;
        do
        {
            var page = await gateway.Client.GetFromJsonAsync<JsonObject>($"api/v1/jobs?state=Succeeded&limit=500{(cursor is null ? "" : "&cursor=" + cursor)}");
            count += page!["items"]!.AsArray().Count;
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);
        return count;
    }

    private static async Task WatchAsync(Sandbox.SandboxCluster cluster, ConcurrentDictionary<string, long> created, CancellationToken cancellationToken)
    {
        using var client = new k8s.Kubernetes(KubernetesConfigurationFactory.Create(new Core.Clusters.ClusterConnection
        {
            Server = cluster.Server.ToString(),
            Token = cluster.AdminToken,
            CertificateAuthorityData = cluster.CertificateAuthorityData,
        }));
        try
        {
            await foreach (var (type, item) in client.CustomObjects.WatchListCustomObjectForAllNamespacesAsync(
                "sparkoperator.k8s.io", "v1beta2", "sparkapplications", labelSelector: GantryLabels.JobId, timeoutSeconds: 600, cancellationToken: cancellationToken))
            {
                var at = Stopwatch.GetTimestamp();
                if (type == WatchEventType.Added && ((JsonElement)item).GetProperty("metadata").GetProperty("labels").GetProperty(GantryLabels.JobId).GetString() is { } id)
                {
                    created.TryAdd(id, at);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
