using System.Globalization;
using Gantry.Bench.Replicas;

// gantry-bench-replicas --postgres CONNECTION --gantry PATH/gantry.dll --crds DIR [--kills 20] [--seconds 10] [--concurrency 32] [--jobs 200] [--parts failover,submit,cost]
var settings = args.Select((a, i) => (a, i)).Where(x => x.a.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(x => x.a[2..], x => x.i + 1 < args.Length ? args[x.i + 1] : "", StringComparer.Ordinal);
int Int(string key, int fallback) => settings.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
var postgres = settings.GetValueOrDefault("postgres") ?? throw new ArgumentException("--postgres CONNECTION is required");
var gantry = settings.GetValueOrDefault("gantry") ?? throw new ArgumentException("--gantry PATH/gantry.dll is required");
var crds = settings.GetValueOrDefault("crds") ?? throw new ArgumentException("--crds DIR is required");
var kills = Int("kills", 20);
var parts = (settings.GetValueOrDefault("parts") ?? "failover,submit,cost").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
var inv = CultureInfo.InvariantCulture;
using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(45));
var ct = stop.Token;

await using var fleet = await Fleet.StartAsync(gantry, postgres, 3, crds, ct);
Console.WriteLine(string.Create(inv, $"3 replicas on PostgreSQL, one sandbox cluster, default lease settings (15 s / renew 2 s / give up 10 s), {Environment.ProcessorCount} cores"));

foreach (var kill in parts.Contains("failover") ? new[] { true, false } : [])
{
    var sample = await FailoverBench.RunAsync(fleet, kill, kills, ct);
    Console.WriteLine(string.Create(inv,
        $"failover after {(kill ? "kill -9" : "SIGTERM")} of the leader to the new leader's first dispatch, {sample.Count} times: " +
        $"p50 {Stats.Percentile(sample, 50):F2} s, max {sample.Max():F2} s, min {sample.Min():F2} s"));
}

if (parts.Contains("submit"))
{
    var one = await SubmitBench.RunAsync(fleet, fleet.Replicas.Take(1).ToList(), Int("seconds", 10), Int("concurrency", 32), ct);
    var three = await SubmitBench.RunAsync(fleet, fleet.Replicas, Int("seconds", 10), Int("concurrency", 32), ct);
    Console.WriteLine(string.Create(inv, $"submissions through 1 replica: {one.PerSecond:F0}/s (p99 {one.P99:F1} ms); through 3 replicas: {three.PerSecond:F0}/s (p99 {three.P99:F1} ms)"));
}

if (parts.Contains("cost"))
{
    var cost = await LeaderCostBench.RunAsync(fleet, Int("jobs", 200), ct);
    Console.WriteLine(string.Create(inv,
        $"leader's added CPU per job: {cost.LeaderMsPerJob:F2} ms (leader {cost.LeaderCpuMs:F0} ms, followers {cost.FollowerCpuMs:F0} ms on average, {cost.Jobs} one-second SparkApplications end to end in {cost.Seconds:F1} s)"));
}
return 0;
