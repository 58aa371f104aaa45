using System.Diagnostics;
using System.Text.Json.Nodes;
using Gantry.Sandbox;
using Gantry.Server.Replication;
using Gantry.Storage;
using Gantry.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;

namespace Gantry.Server.Tests.Replication;

/// <summary>
/// A leader whose PostgreSQL connections go silent (a TCP proxy stops forwarding, as a partition
/// would) stops acting, another replica takes over, and when the network heals the old leader's
/// held writes and renewals are refused: it never acts again.
/// </summary>
public sealed class PartitionTests(ITestOutputHelper output)
{
    private static Dictionary<string, string?> Settings(string connectionString) => new()
    {
        ["Gantry:Storage:Provider"] = "postgres",
        ["Gantry:Storage:ConnectionString"] = connectionString,
        ["Gantry:Leader:LeaseMilliseconds"] = "3000",
        ["Gantry:Leader:RenewMilliseconds"] = "200",
        ["Gantry:Leader:GiveUpMilliseconds"] = "2000",
        ["Gantry:Kubernetes:RefreshMilliseconds"] = "200",
        ["Gantry:Kubernetes:WatchTimeoutSeconds"] = "10",
    };

    [PostgresFact]
    public async Task A_leader_cut_off_from_PostgreSQL_stops_acting_another_takes_over_and_the_healed_old_leader_never_acts_again()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var direct = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        await using var proxy = new TcpProxy(direct.Host!, direct.Port);
        // Short timeouts, so the cut replica's calls fail rather than hang for the defaults' 15-30 s.
        var viaProxy = new NpgsqlConnectionStringBuilder(database.ConnectionString)
        {
            Host = "127.0.0.1", Port = proxy.Port, Timeout = 2, CommandTimeout = 3, CancellationTimeout = 500,
        }.ConnectionString;
        await using var cluster = await SandboxCluster.StartAsync(new SandboxClusterOptions
        {
            Name = "part",
            CrdDirectory = SharedFiles.Crds,
            Nodes = [new SandboxNode("node-1", "64", "256Gi")],
            Tick = TimeSpan.FromMilliseconds(50),
        }, CancellationToken.None);

        await using var a = await TestGateway.StartAsync(Settings(viaProxy));
        var leadsA = a.Services.GetRequiredService<Leadership>();
        await Polling.UntilAsync(() => leadsA.Current is not null, "the first replica leading");
        await using var b = await SecondReplicaAsync(a, database.ConnectionString);
        var leadsB = b.Services.GetRequiredService<Leadership>();
        using var viaB = b.Client();
        await viaB.RegisterAsync(cluster, "part");
        await b.SetCordonAsync(true);
        var first = await viaB.SubmitAsync(Spark("before-the-cut", "1s"));
        Assert.Equal("Succeeded", (await viaB.WaitForEndAsync(first.Id())).State());

        // A burst, so the leader is most likely mid-dispatch when the network goes.
        var burst = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            burst.Add((await viaB.SubmitAsync(Spark($"burst-{i}", "2s"))).Id());
        }
        var termA = leadsA.Current ?? throw new InvalidOperationException("the first replica stopped leading before the cut");
        proxy.Pause();
        var cut = Stopwatch.StartNew();

        await Polling.UntilAsync(() => leadsA.Current is null, "the cut-off leader stopping", TimeSpan.FromSeconds(60));
        var stoppedAfter = cut.Elapsed;
        await Polling.UntilAsync(() => leadsB.Current is { } t && t.Epoch > termA.Epoch, "the second replica leading", TimeSpan.FromSeconds(60));
        var takenAfter = cut.Elapsed;
        var during = await viaB.SubmitAsync(Spark("during-the-cut", "1s"));
        Assert.Equal("Succeeded", (await viaB.WaitForEndAsync(during.Id())).State());

        // Healed: what the old leader sent during the cut arrives now, and is refused.
        proxy.Resume();
        var store = a.Services.GetRequiredService<IGantryStore>();
        var replicas = store.Replicas;
        var healedAt = DateTimeOffset.UtcNow;
        await Polling.UntilAsync(async () => (await replicas.ListAsync(CancellationToken.None))
            .Any(r => r.Id == leadsA.Identity.Id && r.HeartbeatAt > healedAt), "the healed replica heartbeating again", TimeSpan.FromSeconds(60));
        Assert.Null(leadsA.Current);
        var job = await store.Jobs.GetAsync(during.Id(), CancellationToken.None);
        await Assert.ThrowsAsync<FencedOutException>(() =>
            store.Jobs.UpdateAsync(job! with { Message = "written with a deposed leader's fence" }, null, termA.Fence, CancellationToken.None));
        Assert.NotEqual("written with a deposed leader's fence", (await viaB.GetJobAsync(during.Id()))["message"]?.GetValue<string>());

        // Work goes on through the new leader, whichever replica takes it; the old one stays a follower.
        using var viaA = a.Client();
        var after = await viaA.SubmitAsync(Spark("after-the-cut", "1s"));
        Assert.Equal("Succeeded", (await viaA.WaitForEndAsync(after.Id())).State());
        Assert.Null(leadsA.Current);
        foreach (var id in burst.Append(first.Id()).Append(during.Id()).Append(after.Id()))
        {
            var ended = await viaB.WaitForEndAsync(id);
            Assert.True(ended.State() == "Succeeded" && ended["attempts"]!.GetValue<int>() == 1, $"{id}: {ended.State()} after {ended["attempts"]} attempt(s): {ended["message"]}");
            Assert.Equal(1, cluster.CreationsOf(id));
        }
        output.WriteLine($"partition: the cut-off leader stopped acting after {stoppedAfter.TotalSeconds:0.00} s; the other replica led after {takenAfter.TotalSeconds:0.00} s");
    }

    private static JsonObject Spark(string name, string duration)
    {
        var manifest = TestJobs.SparkApplication(name);
        manifest["metadata"]!["annotations"] = new JsonObject { ["sandbox.gantry.io/duration"] = duration };
        return new JsonObject { ["manifest"] = manifest, ["queue"] = "default" };
    }

    private static async Task<TestGateway> SecondReplicaAsync(TestGateway first, string connectionString)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "gantry-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dataDir);
        File.Copy(Path.Combine(first.DataDir, "admin.token"), Path.Combine(dataDir, "admin.token"));
        // Replicas share the key ring key, as a deployment gives them all one GANTRY_KEYRING_KEY.
        File.Copy(Path.Combine(first.DataDir, "keyring.pfx"), Path.Combine(dataDir, "keyring.pfx"));
        return await TestGateway.StartAsync(Settings(connectionString), dataDir);
    }
}
