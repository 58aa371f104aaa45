using Gantry.Monitoring.Tests.Support;
using Gantry.Testing;

namespace Gantry.Monitoring.Tests.Monitoring;

/// <summary>A real Prometheus server scrapes a running gateway and answers PromQL about its jobs.</summary>
public sealed class PrometheusScrapeTests
{
    [Fact]
    public async Task Prometheus_scrapes_the_gateway_and_answers_the_submission_counter()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var client = gateway.Client();
        var queue = "p" + Guid.NewGuid().ToString("N")[..10];
        await client.PostAsync("api/v1/queues", System.Net.Http.Json.JsonContent.Create(new { name = queue }));
        for (var i = 0; i < 4; i++)
        {
            await client.SubmitAsync(TestJobs.Shell("echo scraped", queue));
        }
        await using var prometheus = await PrometheusServer.StartAsync(new Uri(gateway.Url));

        var promql = $"sum(gantry_job_submissions_total{{queue=\"{queue}\"}})";
        double? answer = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (answer != 4 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            answer = await prometheus.QueryAsync(promql);
        }

        Assert.True(answer == 4, $"{promql} answered {answer?.ToString() ?? "nothing"}; target {await prometheus.TargetHealthAsync()}");
        Assert.Equal("up", await prometheus.TargetHealthAsync());
        Assert.Equal(1, await prometheus.QueryAsync("up{job=\"gantry\"}"));
    }
}
