using System.Text.Json.Nodes;
using Gantry.Testing;

namespace Gantry.Cli.Tests.Commands;

/// <summary>The CLI against a gateway whose submission bucket holds one request and refills once in ten seconds.</summary>
public sealed class RetryAfterTests
{
    [Fact]
    public async Task A_submission_past_the_rate_limit_waits_as_Retry_After_says_and_succeeds()
    {
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>
        {
            // A token every 10 s, not every second: on a busy machine the first submission alone
            // took over a second, the bucket refilled, and the second was never refused.
            ["Gantry:RateLimits:Submissions:Admin:PerMinute"] = "6",
            ["Gantry:RateLimits:Submissions:Admin:Burst"] = "1",
        });
        await gateway.SetCordonAsync(true);
        var file = Path.Combine(Path.GetTempPath(), $"gantry-retry-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, "kind: Command\nspec: {command: [\"true\"]}\n");
        var cli = new CliRunner(gateway);

        var first = await cli.RunAsync("submit", "-f", file);
        var second = await cli.RunAsync("submit", "-f", file);

        Assert.True(first.ExitCode == 0, first.Output);
        Assert.True(second.ExitCode == 0, second.Output);
        using var admin = gateway.Client();
        var jobs = JsonNode.Parse(await admin.GetStringAsync("api/v1/jobs"))!["items"]!.AsArray();
        Assert.Equal(2, jobs.Count);
        // The second was refused once, then waited out: the gateway counted the 429.
        var metrics = await gateway.AnonymousClient().GetStringAsync("metrics");
        Assert.Matches("gantry_rate_limited_requests_total\\{action=\"submission\",scope=\"user\"\\} [1-9]", metrics);
    }
}
