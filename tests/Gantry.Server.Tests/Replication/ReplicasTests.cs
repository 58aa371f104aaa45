using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Gantry.Testing;

namespace Gantry.Server.Tests.Replication;

/// <summary>Several gateways on one PostgreSQL database: one leads, any serves, and a stopped leader hands over.</summary>
public sealed class ReplicasTests
{
    private static Dictionary<string, string?> Settings(string connectionString) => new()
    {
        ["Gantry:Storage:Provider"] = "postgres",
        ["Gantry:Storage:ConnectionString"] = connectionString,
        // Short enough for a test; the defaults are 15 s / 2 s / 10 s.
        ["Gantry:Leader:LeaseMilliseconds"] = "3000",
        ["Gantry:Leader:RenewMilliseconds"] = "200",
        ["Gantry:Leader:GiveUpMilliseconds"] = "2000",
        ["Gantry:Local:Cpu"] = "2",
    };

    [Fact]
    public async Task A_standalone_gateway_lists_itself_as_the_leader_and_only_admins_may_look()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var admin = gateway.Client();

        var list = await WaitForLeaderAsync(admin);
        var replica = Assert.Single(list["items"]!.AsArray())!;
        Assert.True(replica["leader"]!.GetValue<bool>());
        Assert.True(replica["epoch"]!.GetValue<long>() >= 1);
        Assert.Equal(Environment.MachineName, replica["host"]!.GetValue<string>());
        Assert.Equal(replica["id"]!.GetValue<string>(), list["leaseHolder"]!.GetValue<string>());

        using var user = await gateway.UserClientAsync("replica-peeker");
        Assert.Equal(HttpStatusCode.Forbidden, (await user.GetAsync("api/v1/replicas")).StatusCode);
    }

    [PostgresFact]
    public async Task Two_replicas_share_the_work_through_the_leader_and_a_stopped_leader_hands_over()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var first = await TestGateway.StartAsync(Settings(database.ConnectionString));
        await using var second = await SecondReplicaAsync(first, database);
        using var a = first.Client();
        using var b = second.Client();

        // Each replica heartbeats on its own schedule: wait until both are listed, not just the leader.
        var list = await WaitForLeaderAsync(b, replicas: 2);
        Assert.Equal(2, list["items"]!.AsArray().Count);
        Assert.Single(list["items"]!.AsArray(), r => r!["leader"]!.GetValue<bool>());
        Assert.Equal([first.Url, second.Url], list["items"]!.AsArray().Select(r => r!["url"]!.GetValue<string>()).Order());
        var leaderId = list["leaseHolder"]!.GetValue<string>();
        var (leader, toFollower) = IsFirst(first, leaderId) ? (first, b) : (second, a);

        // Submitted to the follower, placed and run by the leader.
        var quick = await toFollower.SubmitAsync(TestJobs.Shell("echo via-follower"));
        Assert.Equal("Succeeded", (await toFollower.WaitForEndAsync(quick.Id())).State());

        // A job that waits for room: the follower explains it with the leader's answer, verdicts and all.
        var slow = await toFollower.SubmitAsync(TestJobs.Shell("sleep 300", cpu: "2"));
        await toFollower.WaitForStateAsync(slow.Id(), TimeSpan.FromSeconds(60), "Running");
        var waiter = await toFollower.SubmitAsync(TestJobs.Shell("echo waited", cpu: "2"));
        var reason = "";
        await Polling.UntilAsync(async () =>
        {
            reason = (await toFollower.GetJobAsync(waiter.Id()))["message"]?.GetValue<string>() ?? "";
            return reason.StartsWith("waiting: ", StringComparison.Ordinal);
        }, "the leader's reason stored in the waiting job's message");
        var explained = JsonNode.Parse(await toFollower.GetStringAsync($"api/v1/jobs/{waiter.Id()}/explain"))!;
        Assert.Contains(reason["waiting: ".Length..], explained["summary"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("next round", explained["summary"]!.GetValue<string>(), StringComparison.Ordinal);
        var local = Assert.Single(explained["clusters"]!.AsArray(), c => c!["name"]!.GetValue<string>() == "local")!;
        Assert.False(local["fits"]!.GetValue<bool>());
        Assert.Equal(2000, local["needed"]!["cpuMillicores"]!.GetValue<long>());

        // A cancel received by the follower is carried out by the leader; the waiter then runs.
        (await toFollower.PostAsync($"api/v1/jobs/{slow.Id()}/cancel", null)).EnsureSuccessStatusCode();
        Assert.Equal("Cancelled", (await toFollower.WaitForEndAsync(slow.Id(), 60)).State());
        Assert.Equal("Succeeded", (await toFollower.WaitForEndAsync(waiter.Id(), 60)).State());

        // The leader stops: it releases the lease, so the follower leads within a few renew periods.
        var stopped = Stopwatch.StartNew();
        await leader.StopAsync();
        var after = await WaitForLeaderAsync(toFollower, except: leaderId);
        var handover = stopped.Elapsed;
        Assert.True(handover < TimeSpan.FromSeconds(30), $"hand-over took {handover}");
        Assert.True(after["epoch"]!.GetValue<long>() > list["epoch"]!.GetValue<long>());
        var later = await toFollower.SubmitAsync(TestJobs.Shell("echo after-handover"));
        Assert.Equal("Succeeded", (await toFollower.WaitForEndAsync(later.Id())).State());
    }

    [PostgresFact]
    public async Task A_change_made_on_one_replica_wakes_the_waiters_of_another_even_after_its_listening_connection_is_cut()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var first = await TestGateway.StartAsync(Settings(database.ConnectionString));
        await using var second = await SecondReplicaAsync(first, database);
        var feed = Feed(second);
        await Polling.UntilAsync(() => feed.Connections >= 1, "the second replica listening");
        var notifier = (Gantry.Server.Jobs.JobChangeNotifier)second.Services.GetService(typeof(Gantry.Server.Jobs.JobChangeNotifier))!;
        using var a = first.Client();

        // A job submitted through the first replica: the second's waiters on any job are woken.
        var anyChange = notifier.AnySignal();
        var job = await a.SubmitAsync(TestJobs.Shell("sleep 300"));
        await anyChange.WaitAsync(TimeSpan.FromSeconds(10));

        // A change of that job through the first replica wakes the second's waiters on that job.
        var jobChanged = notifier.Signal(job.Id());
        (await a.PostAsync($"api/v1/jobs/{job.Id()}/cancel", null)).EnsureSuccessStatusCode();
        await jobChanged.WaitAsync(TimeSpan.FromSeconds(10));

        // The listening connections are cut: each replica connects again and hears the next change.
        var before = feed.Connections;
        await using (var connection = new Npgsql.NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var kill = new Npgsql.NpgsqlCommand(
                "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @name AND datname = current_database()", connection);
            kill.Parameters.AddWithValue("name", Gantry.Server.Replication.PostgresChangeFeed.ApplicationName);
            Assert.True((long)(await kill.ExecuteScalarAsync())! >= 1);
        }
        await Polling.UntilAsync(() => feed.Connections > before, "the second replica listening again");
        var afterCut = notifier.AnySignal();
        await a.SubmitAsync(TestJobs.Shell("echo after-the-cut"));
        await afterCut.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>
    /// A second replica on the same database (and so the same admin), in a data dir of its own that
    /// holds the admin token the first one wrote.
    /// </summary>
    private static async Task<TestGateway> SecondReplicaAsync(TestGateway first, PostgresDatabase database, Dictionary<string, string?>? settings = null)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "gantry-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dataDir);
        File.Copy(Path.Combine(first.DataDir, "admin.token"), Path.Combine(dataDir, "admin.token"));
        // Replicas share the key ring key, as a deployment gives them all one GANTRY_KEYRING_KEY.
        File.Copy(Path.Combine(first.DataDir, "keyring.pfx"), Path.Combine(dataDir, "keyring.pfx"));
        return await TestGateway.StartAsync(settings ?? Settings(database.ConnectionString), dataDir);
    }

    [PostgresFact]
    public async Task A_follower_that_cannot_reach_the_leader_explains_with_the_reason_the_leader_stored()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        // The first replica leads and advertises an address where nothing listens.
        var unreachable = new Dictionary<string, string?>(Settings(database.ConnectionString)) { ["Gantry:Leader:AdvertiseUrl"] = $"http://127.0.0.1:{FreePorts.Next()}" };
        await using var first = await TestGateway.StartAsync(unreachable);
        var leads = (Gantry.Server.Replication.Leadership)first.Services.GetService(typeof(Gantry.Server.Replication.Leadership))!;
        await Polling.UntilAsync(() => leads.Current is not null, "the first replica leading");
        await using var second = await SecondReplicaAsync(first, database);
        using var b = second.Client();
        await WaitForLeaderAsync(b, replicas: 2);

        var slow = await b.SubmitAsync(TestJobs.Shell("sleep 300", cpu: "2"));
        await b.WaitForStateAsync(slow.Id(), TimeSpan.FromSeconds(60), "Running");
        var waiter = await b.SubmitAsync(TestJobs.Shell("echo waited", cpu: "2"));
        await Polling.UntilAsync(async () => ((await b.GetJobAsync(waiter.Id()))["message"]?.GetValue<string>() ?? "").StartsWith("waiting: ", StringComparison.Ordinal),
            "the leader's reason stored in the waiting job's message");
        var explained = JsonNode.Parse(await b.GetStringAsync($"api/v1/jobs/{waiter.Id()}/explain"))!;

        Assert.EndsWith("(the leader's last round)", explained["summary"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(explained["clusters"]!.AsArray());
        (await b.PostAsync($"api/v1/jobs/{slow.Id()}/cancel", null)).EnsureSuccessStatusCode();
    }

    [PostgresFact]
    public async Task A_follower_forwards_the_explain_of_a_caller_known_by_a_proxy_header_and_the_leader_takes_that_word_for_that_explain_only()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        // The tests' requests come from 127.0.0.1: here that is Kubeflow's mesh gateway.
        var settings = new Dictionary<string, string?>(Settings(database.ConnectionString)) { ["Gantry:Identity:Proxy:TrustedProxies:0"] = "127.0.0.0/8" };
        await using var first = await TestGateway.StartAsync(settings);
        var leads = (Gantry.Server.Replication.Leadership)first.Services.GetService(typeof(Gantry.Server.Replication.Leadership))!;
        await Polling.UntilAsync(() => leads.Current is not null, "the first replica leading");
        await using var second = await SecondReplicaAsync(first, database, settings);
        await WaitForLeaderAsync(second.Client(), replicas: 2);
        using var kf = second.AnonymousClient();
        kf.DefaultRequestHeaders.Add("kubeflow-userid", "kay@example.com");

        var slow = await kf.SubmitAsync(TestJobs.Shell("sleep 300", cpu: "2"));
        await kf.WaitForStateAsync(slow.Id(), TimeSpan.FromSeconds(60), "Running");
        var waiter = await kf.SubmitAsync(TestJobs.Shell("echo waited", cpu: "2"));
        await Polling.UntilAsync(async () => ((await kf.GetJobAsync(waiter.Id()))["message"]?.GetValue<string>() ?? "").StartsWith("waiting: ", StringComparison.Ordinal),
            "the leader's reason stored in the waiting job's message");
        var explained = JsonNode.Parse(await kf.GetStringAsync($"api/v1/jobs/{waiter.Id()}/explain"))!;

        // The leader's answer, per-cluster verdicts and all (the store alone has none).
        var local = Assert.Single(explained["clusters"]!.AsArray(), c => c!["name"]!.GetValue<string>() == "local")!;
        Assert.False(local["fits"]!.GetValue<bool>());
        Assert.DoesNotContain("(the leader's last round)", explained["summary"]!.GetValue<string>(), StringComparison.Ordinal);

        // The word the follower sends: good for that job's explain, on the leader, and nothing else.
        var callers = (Gantry.Server.Replication.ForwardedCallers)second.Services.GetService(typeof(Gantry.Server.Replication.ForwardedCallers))!;
        var kay = new Gantry.Server.Auth.Caller("kay@example.com", Gantry.Core.Users.Role.User);
        using var raw = first.AnonymousClient();
        async Task<HttpStatusCode> Send(HttpMethod method, string path, string assertion)
        {
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Add(Gantry.Server.Replication.ForwardedCallers.Header, assertion);
            return (await raw.SendAsync(request)).StatusCode;
        }
        var good = callers.Issue(waiter.Id(), kay);
        Assert.Equal(HttpStatusCode.OK, await Send(HttpMethod.Get, $"api/v1/jobs/{waiter.Id()}/explain", good));
        Assert.Equal(HttpStatusCode.Unauthorized, await Send(HttpMethod.Get, $"api/v1/jobs/{waiter.Id()}", good));
        Assert.Equal(HttpStatusCode.Unauthorized, await Send(HttpMethod.Get, $"api/v1/jobs/{waiter.Id()}/logs", good));
        Assert.Equal(HttpStatusCode.Unauthorized, await Send(HttpMethod.Post, $"api/v1/jobs/{waiter.Id()}/cancel", good));
        Assert.Equal(HttpStatusCode.Unauthorized, await Send(HttpMethod.Get, $"api/v1/jobs/{slow.Id()}/explain", good));
        Assert.Equal(HttpStatusCode.Unauthorized, await Send(HttpMethod.Get, $"api/v1/jobs/{waiter.Id()}/explain", callers.Issue(waiter.Id(), kay, DateTimeOffset.UtcNow.AddSeconds(-1))));
        Assert.Equal(HttpStatusCode.Unauthorized, await Send(HttpMethod.Get, $"api/v1/jobs/{waiter.Id()}/explain", good[..^4] + "AAAA"));
        // Named as someone who may not see the job, it gets the API's 404 like any other caller.
        Assert.Equal(HttpStatusCode.NotFound, await Send(HttpMethod.Get, $"api/v1/jobs/{waiter.Id()}/explain",
            callers.Issue(waiter.Id(), new Gantry.Server.Auth.Caller("someone-else", Gantry.Core.Users.Role.User))));
        Assert.Equal("Queued", (await kf.GetJobAsync(waiter.Id())).State());
        (await kf.PostAsync($"api/v1/jobs/{slow.Id()}/cancel", null)).EnsureSuccessStatusCode();
    }

    private static Gantry.Server.Replication.PostgresChangeFeed Feed(TestGateway gateway) =>
        (Gantry.Server.Replication.PostgresChangeFeed)gateway.Services.GetService(typeof(Gantry.Server.Replication.PostgresChangeFeed))!;

    private static bool IsFirst(TestGateway first, string leaderId) =>
        first.Services.GetService(typeof(Gantry.Server.Replication.Leadership)) is Gantry.Server.Replication.Leadership l && l.Identity.Id == leaderId;

    /// <summary>Polls /replicas until a replica (other than <paramref name="except"/>) holds the lease.</summary>
    private static async Task<JsonObject> WaitForLeaderAsync(HttpClient client, string? except = null, int replicas = 1)
    {
        JsonObject list = [];
        await Polling.UntilAsync(async () =>
        {
            list = JsonNode.Parse(await client.GetStringAsync("api/v1/replicas"))!.AsObject();
            return list["leaseHolder"]?.GetValue<string>() is { } holder && holder != except && list["items"]!.AsArray().Count >= replicas;
        }, $"a replica other than {except ?? "none"} holding the lease, with {replicas} replica(s) listed");
        return list;
    }
}
