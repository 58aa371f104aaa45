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
        // The second replica shares the database (and so the admin); it gets the admin token the first one wrote.
        var secondDir = Path.Combine(Path.GetTempPath(), "gantry-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(secondDir);
        File.Copy(Path.Combine(first.DataDir, "admin.token"), Path.Combine(secondDir, "admin.token"));
        await using var second = await TestGateway.StartAsync(Settings(database.ConnectionString), secondDir);
        using var a = first.Client();
        using var b = second.Client();

        var list = await WaitForLeaderAsync(b);
        Assert.Equal(2, list["items"]!.AsArray().Count);
        Assert.Single(list["items"]!.AsArray(), r => r!["leader"]!.GetValue<bool>());
        var leaderId = list["leaseHolder"]!.GetValue<string>();
        var (leader, toFollower) = IsFirst(first, leaderId) ? (first, b) : (second, a);

        // Submitted to the follower, placed and run by the leader.
        var quick = await toFollower.SubmitAsync(TestJobs.Shell("echo via-follower"));
        Assert.Equal("Succeeded", (await toFollower.WaitForEndAsync(quick.Id())).State());

        // A cancel received by the follower is carried out by the leader.
        var slow = await toFollower.SubmitAsync(TestJobs.Shell("sleep 300"));
        await toFollower.WaitForStateAsync(slow.Id(), TimeSpan.FromSeconds(60), "Running");
        (await toFollower.PostAsync($"api/v1/jobs/{slow.Id()}/cancel", null)).EnsureSuccessStatusCode();
        Assert.Equal("Cancelled", (await toFollower.WaitForEndAsync(slow.Id(), 60)).State());

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

    private static bool IsFirst(TestGateway first, string leaderId) =>
        first.Services.GetService(typeof(Gantry.Server.Replication.Leadership)) is Gantry.Server.Replication.Leadership l && l.Identity.Id == leaderId;

    /// <summary>Polls /replicas until a replica (other than <paramref name="except"/>) holds the lease.</summary>
    private static async Task<JsonObject> WaitForLeaderAsync(HttpClient client, string? except = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var list = JsonNode.Parse(await client.GetStringAsync("api/v1/replicas"))!.AsObject();
            if (list["leaseHolder"]?.GetValue<string>() is { } holder && holder != except)
            {
                return list;
            }
            Assert.True(DateTime.UtcNow < deadline, $"no replica took the lease; last answer: {list.ToJsonString()}");
            await Task.Delay(100);
        }
    }
}
