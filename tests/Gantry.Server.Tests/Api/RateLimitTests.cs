using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gantry.Testing;

namespace Gantry.Server.Tests.Api;

/// <summary>A gateway with small buckets, of its own so no other test's requests count against them.</summary>
public sealed class RateLimitedGatewayFixture : IAsyncLifetime
{
    public TestGateway Gateway { get; private set; } = null!;

    // Refilled once a minute: a slow machine cannot refill a bucket between two requests of a test.
    public async Task InitializeAsync() => Gateway = await TestGateway.StartAsync(new Dictionary<string, string?>
    {
        ["Gantry:RateLimits:Submissions:User:PerMinute"] = "1",
        ["Gantry:RateLimits:Submissions:User:Burst"] = "3",
        ["Gantry:RateLimits:MetricPushes:User:PerMinute"] = "1",
        ["Gantry:RateLimits:MetricPushes:User:Burst"] = "2",
        ["Gantry:RateLimits:Queues:slow:PerMinute"] = "1",
        ["Gantry:RateLimits:Queues:slow:Burst"] = "1",
    });

    public async Task DisposeAsync() => await Gateway.DisposeAsync();
}

public sealed class RateLimitTests(RateLimitedGatewayFixture fixture) : IClassFixture<RateLimitedGatewayFixture>
{
    private readonly TestGateway _gateway = fixture.Gateway;

    [Fact]
    public async Task A_user_past_the_submission_burst_gets_429_with_retry_after_naming_the_setting_and_nothing_stored()
    {
        using var ann = await _gateway.UserClientAsync("ann-rate");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await ann.PostAsJsonAsync("api/v1/jobs", TestJobs.Shell("true"))).StatusCode);
        }

        var refused = await ann.PostAsJsonAsync("api/v1/jobs", TestJobs.Shell("true"));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {refused.Headers.RetryAfter}");
        var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.Equal("Gantry:RateLimits:Submissions:User", problem["limit"]!.GetValue<string>());
        var mine = JsonNode.Parse(await ann.GetStringAsync("api/v1/jobs?owner=ann-rate"))!["items"]!.AsArray();
        Assert.Equal(3, mine.Count);

        // Another user's bucket is their own.
        using var bob = await _gateway.UserClientAsync("bob-rate");
        Assert.Equal(HttpStatusCode.Created, (await bob.PostAsJsonAsync("api/v1/jobs", TestJobs.Shell("true"))).StatusCode);
        var metrics = await _gateway.AnonymousClient().GetStringAsync("metrics");
        Assert.Contains("gantry_rate_limited_requests_total{action=\"submission\",scope=\"user\"}", metrics);
    }

    [Fact]
    public async Task A_queue_with_its_own_limit_refuses_past_it_whoever_submits()
    {
        using var admin = _gateway.Client();
        var created = await admin.PostAsJsonAsync("api/v1/queues", new { name = "slow", weight = 1 });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        using var carol = await _gateway.UserClientAsync("carol-rate");
        using var dave = await _gateway.UserClientAsync("dave-rate");

        Assert.Equal(HttpStatusCode.Created, (await carol.PostAsJsonAsync("api/v1/jobs", TestJobs.Shell("true", queue: "slow"))).StatusCode);
        var refused = await dave.PostAsJsonAsync("api/v1/jobs", TestJobs.Shell("true", queue: "slow"));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("Gantry:RateLimits:Queues:slow", JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["limit"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Created, (await dave.PostAsJsonAsync("api/v1/jobs", TestJobs.Shell("true"))).StatusCode);
    }

    [Fact]
    public async Task Metric_pushes_past_the_burst_get_429()
    {
        using var erin = await _gateway.UserClientAsync("erin-rate");
        var job = await erin.SubmitAsync(TestJobs.Shell("true"));
        var push = new { metrics = new[] { new { name = "loss", value = 0.5, step = 1 } } };
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await erin.PostAsJsonAsync($"api/v1/jobs/{job.Id()}/metrics", push)).StatusCode);
        }

        var refused = await erin.PostAsJsonAsync($"api/v1/jobs/{job.Id()}/metrics", push);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal("Gantry:RateLimits:MetricPushes:User", JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["limit"]!.GetValue<string>());
    }
}
