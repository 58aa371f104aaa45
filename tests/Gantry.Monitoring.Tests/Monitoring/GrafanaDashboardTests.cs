using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gantry.Monitoring.Tests.Support;
using Gantry.Testing;

namespace Gantry.Monitoring.Tests.Monitoring;

/// <summary>deploy/kustomize/components/monitoring/grafana/gantry.json: every panel's query is PromQL a real Prometheus accepts, over metrics the gateway exports.</summary>
public sealed class GrafanaDashboardTests
{
    [Fact]
    public async Task Every_panel_query_is_accepted_by_prometheus_and_uses_exported_metrics()
    {
        var dashboard = JsonNode.Parse(await File.ReadAllTextAsync(RepositoryFiles.Path("deploy/kustomize/components/monitoring/grafana/gantry.json")))!;
        var queries = dashboard["panels"]!.AsArray()
            .SelectMany(p => p!["targets"]?.AsArray() ?? [])
            .Select(t => t!["expr"]!.GetValue<string>())
            .ToList();
        await using var gateway = await TestGateway.StartAsync();
        var exported = await gateway.ScrapeTextAsync();
        await using var prometheus = await PrometheusServer.StartAsync(new Uri(gateway.Url));

        Assert.True(queries.Count >= 20, $"only {queries.Count} queries in the dashboard");
        foreach (var query in queries)
        {
            // What Grafana substitutes before it asks Prometheus.
            var promql = query.Replace("$__rate_interval", "1m", StringComparison.Ordinal)
                .Replace("$queue", ".*", StringComparison.Ordinal)
                .Replace("$cluster", ".*", StringComparison.Ordinal)
                .Replace("$job", ".*", StringComparison.Ordinal);
            Assert.Null(await prometheus.ProblemWithAsync(promql));
            foreach (var metric in Regex.Matches(query, @"\b(gantry|http)_[a-z_]+").Select(m => Regex.Replace(m.Value, "_(bucket|count|sum)$", "")).Distinct())
            {
                Assert.True(exported.Contains($"# HELP {metric} ", StringComparison.Ordinal), $"the dashboard queries {metric}, which the gateway does not export");
            }
        }
    }
}
