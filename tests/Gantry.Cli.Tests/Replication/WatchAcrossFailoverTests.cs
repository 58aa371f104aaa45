using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Gantry.Sandbox;
using Gantry.Testing;
using Npgsql;

namespace Gantry.Cli.Tests.Replication;

/// <summary>
/// A job's SSE watch held on one replica while the leader running the job is killed and every
/// replica's LISTEN connection is cut: the watch still sees every stored transition, in order, and
/// a watch resumed with Last-Event-ID on another replica sees exactly the rest.
/// </summary>
public sealed class WatchAcrossFailoverTests
{
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Gantry__Leader__LeaseMilliseconds"] = "3000",
        ["Gantry__Leader__RenewMilliseconds"] = "200",
        ["Gantry__Leader__GiveUpMilliseconds"] = "2000",
    };

    [PostgresFact]
    public async Task A_watch_on_a_follower_sees_every_transition_of_a_job_whose_leader_is_killed_and_a_resumed_watch_elsewhere_the_rest()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var cluster = await SandboxCluster.StartAsync(new SandboxClusterOptions
        {
            Name = "watched",
            CrdDirectory = SharedFiles.Crds,
            Nodes = [new SandboxNode("node-1", "16", "64Gi")],
            Tick = TimeSpan.FromMilliseconds(50),
        }, CancellationToken.None);
        await using var fleet = await ReplicaFleet.StartAsync(database.ConnectionString, 3, Settings);
        var leader = await fleet.WaitForLeaderAsync(TimeSpan.FromSeconds(60));
        var watcher = (leader + 1) % fleet.Count;
        var resumer = (leader + 2) % fleet.Count;
        using var viaWatcher = fleet.Client(watcher);
        await viaWatcher.RegisterAsync(cluster, "watched");
        (await viaWatcher.PostAsync("api/v1/clusters/local/cordon", null)).EnsureSuccessStatusCode();

        var manifest = TestJobs.SparkApplication("watched-across-a-kill");
        manifest["metadata"]!["annotations"] = new JsonObject { ["sandbox.gantry.io/duration"] = "8s" };
        var job = await viaWatcher.SubmitAsync(new JsonObject { ["manifest"] = manifest, ["queue"] = "default" });
        var seen = new ConcurrentQueue<JsonObject>();
        using var watch = await viaWatcher.GetAsync($"api/v1/jobs/{job.Id()}/watch", HttpCompletionOption.ResponseHeadersRead);
        watch.EnsureSuccessStatusCode();
        var reading = ReadAsync(watch, seen);
        await Polling.UntilAsync(() => seen.Any(e => To(e) == "Running"), "the watch seeing the job run", TimeSpan.FromSeconds(120));

        // The job's leader dies mid-run, and every replica's LISTEN connection is cut on top.
        var running = await fleet.LeaderAsync() ?? leader;
        Assert.True(running != watcher, "leadership moved to the watching replica before the kill");
        await fleet.Process(running).KillAsync();
        Assert.True(await TerminateListenersAsync(database.ConnectionString) >= 1);
        await reading.WaitAsync(TimeSpan.FromMinutes(3));

        using var viaResumer = fleet.Client(running == resumer ? watcher : resumer);
        var stored = JsonNode.Parse(await viaResumer.GetStringAsync($"api/v1/jobs/{job.Id()}/events"))!["items"]!.AsArray()
            .Select(e => (Seq: e!["seq"]!.GetValue<long>(), To: e["to"]!.GetValue<string>())).ToList();
        var events = seen.ToList();
        Assert.Equal("Succeeded", stored[^1].To);
        // The first event is where the watch started; after it, every stored transition, once, in order.
        var start = events[0]["event"]!["seq"]!.GetValue<long>();
        Assert.Equal(stored.Where(e => e.Seq > start).ToList(), events.Skip(1).Select(e => (Seq(e), To(e))).ToList());

        // A watch resumed on another replica after the Running event sends exactly what followed it.
        var runningSeq = stored.First(e => e.To == "Running").Seq;
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/jobs/{job.Id()}/watch");
        request.Headers.Add("Last-Event-ID", runningSeq.ToString(CultureInfo.InvariantCulture));
        using var resumed = await viaResumer.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var rest = new ConcurrentQueue<JsonObject>();
        await ReadAsync(resumed, rest).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(stored.Where(e => e.Seq > runningSeq).ToList(), rest.Select(e => (Seq(e), To(e))).ToList());
    }

    private static string To(JsonObject e) => e["event"]!["to"]!.GetValue<string>();

    private static long Seq(JsonObject e) => e["event"]!["seq"]!.GetValue<long>();

    private static async Task ReadAsync(HttpResponseMessage response, ConcurrentQueue<JsonObject> into)
    {
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                into.Enqueue(JsonNode.Parse(line["data: ".Length..])!.AsObject());
            }
        }
    }

    private static async Task<long> TerminateListenersAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var kill = new NpgsqlCommand(
            "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'gantry-listen' AND datname = current_database()", connection);
        return (long)(await kill.ExecuteScalarAsync())!;
    }
}
