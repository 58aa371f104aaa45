using Gantry.Monitoring.Tests.Support;

namespace Gantry.Monitoring.Tests.Monitoring;

/// <summary>deploy/kustomize/components/monitoring/prometheus: the alerting rules are valid and fire when, and only when, their unit tests say.</summary>
public sealed class AlertRulesTests
{
    [Fact]
    public async Task Alert_rules_pass_promtool_check_rules()
    {
        var (exitCode, output) = await Tool.RunAsync(Tool.Promtool, ["check", "rules", RepositoryFiles.Path("deploy/kustomize/components/monitoring/prometheus/alerts.yml")]);

        Assert.True(exitCode == 0, output);
        Assert.Contains("SUCCESS: 6 rules found", output);
    }

    [Fact]
    public async Task Alert_rules_pass_their_promtool_unit_tests()
    {
        var (exitCode, output) = await Tool.RunAsync(
            Tool.Promtool, ["test", "rules", "alerts.test.yml"], workingDirectory: RepositoryFiles.Path("deploy/kustomize/components/monitoring/prometheus"));

        Assert.True(exitCode == 0, output);
        Assert.Contains("SUCCESS", output);
    }

    [Fact]
    public async Task Every_metric_the_rules_use_is_exported_by_the_gateway()
    {
        var rules = await File.ReadAllTextAsync(RepositoryFiles.Path("deploy/kustomize/components/monitoring/prometheus/alerts.yml"));
        var used = System.Text.RegularExpressions.Regex.Matches(rules, @"gantry_[a-z_]+").Select(m => m.Value).Distinct().ToList();
        await using var gateway = await Gantry.Testing.TestGateway.StartAsync();
        var text = await gateway.ScrapeTextAsync();

        Assert.NotEmpty(used);
        foreach (var metric in used)
        {
            // Histograms are used through their _bucket series; HELP names the family.
            var family = System.Text.RegularExpressions.Regex.Replace(metric, "_(bucket|count|sum)$", "");
            Assert.True(text.Contains($"# HELP {family} ", StringComparison.Ordinal), $"{metric} is in alerts.yml but the gateway does not export {family}");
        }
    }
}
