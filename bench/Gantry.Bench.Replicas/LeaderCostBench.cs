using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Gantry.Bench.Replicas;

/// <summary>
/// Runs jobs end to end through the followers and compares the CPU time the leader spent with the
/// followers' over the same window: the difference per job is what leading costs (scheduling,
/// dispatch, following the resources), the followers' share is what serving the API costs anyone.
/// </summary>
internal static class LeaderCostBench
{
    public sealed record Result(int Jobs, double Seconds, double LeaderCpuMs, double FollowerCpuMs, double LeaderMsPerJob);

    public static async Task<Result> RunAsync(Fleet fleet, int jobs, CancellationToken cancellationToken)
    {
        var leader = await fleet.WaitForLeaderAsync(cancellationToken);
        var followers = fleet.Replicas.Where(r => r != leader).ToList();
        var before = fleet.Replicas.ToDictionary(r => r, r => r.CpuTime());
        var clock = Stopwatch.StartNew();
        var body = Fleet.Envelope("cost").Replace("\"queue\":\"default\"", "\"queue\":\"default\",\"labels\":{\"bench\":\"cost\"}", StringComparison.Ordinal);
        var clients = followers.Select(f => f.Client(fleet.Token)).ToList();
        await Parallel.ForEachAsync(Enumerable.Range(0, jobs), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            using var response = await clients[i % clients.Count].PostAsync("api/v1/jobs", new StringContent(body, Encoding.UTF8, "application/json"), ct);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"submission answered {(int)response.StatusCode}");
            }
        });
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (DateTime.UtcNow < deadline)
        {
            var ended = JsonNode.Parse(await clients[0].GetStringAsync("api/v1/jobs?labelSelector=bench%3Dcost&state=Succeeded,Failed&limit=500", cancellationToken))!["items"]!.AsArray().Count;
            if (ended >= jobs)
            {
                break;
            }
            await Task.Delay(200, cancellationToken);
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var leaderMs = (leader.CpuTime() - before[leader]).TotalMilliseconds;
        var followerMs = followers.Average(f => (f.CpuTime() - before[f]).TotalMilliseconds);
        clients.ForEach(c => c.Dispose());
        return new Result(jobs, seconds, leaderMs, followerMs, (leaderMs - followerMs) / jobs);
    }
}
