using System.Net;
using Gantry.Testing;

namespace Gantry.Monitoring.Tests.Support;

/// <summary>Reads /metrics the way Prometheus does: anonymously, over real HTTP.</summary>
public static class Scrapes
{
    public static async Task<string> ScrapeTextAsync(this TestGateway gateway)
    {
        using var client = gateway.AnonymousClient();
        using var response = await client.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    public static async Task<IReadOnlyList<Sample>> ScrapeAsync(this TestGateway gateway) =>
        Exposition.Parse(await gateway.ScrapeTextAsync());

    /// <summary>Scrapes until <paramref name="done"/> holds (the gauges follow the scheduler's rounds); fails with the last answer after 60 s.</summary>
    public static async Task<IReadOnlyList<Sample>> ScrapeUntilAsync(this TestGateway gateway, Func<IReadOnlyList<Sample>, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        string text;
        do
        {
            text = await gateway.ScrapeTextAsync();
            if (done(Exposition.Parse(text)))
            {
                return Exposition.Parse(text);
            }
            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Fail($"/metrics never showed {what}; last answer:\n{string.Join('\n', text.Split('\n').Where(l => l.StartsWith("gantry_", StringComparison.Ordinal)))}");
        return [];
    }
}
