using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace Gantry.Cli.Tests.Deploy;

/// <summary>The monitoring component carries the repository's own alerting rules and dashboard, unchanged.</summary>
public sealed class MonitoringComponentTests
{
    private static string MonitoringDir => Path.Combine(Kustomize.DeployDir, "components", "monitoring");

    [Fact]
    public async Task The_PrometheusRule_holds_exactly_the_rules_promtool_tests()
    {
        var manifests = await RenderedManifests.LoadAsync("ha+ingress+monitoring+namespace-sharing");
        var rule = manifests.Single<PrometheusRule>();
        var file = new YamlStream();
        file.Load(new StringReader(await File.ReadAllTextAsync(Path.Combine(MonitoringDir, "prometheus", "alerts.yml"))));
        var groups = (YamlSequenceNode)((YamlMappingNode)file.Documents[0].RootNode)["groups"];
        var expected = groups.Cast<YamlMappingNode>().SelectMany(g => ((YamlSequenceNode)g["rules"]).Cast<YamlMappingNode>()
            .Select(r => (Group: g["name"].ToString(), Alert: r["alert"].ToString(), Expr: r["expr"].ToString().Trim(), For: r.Children.TryGetValue("for", out var f) ? f.ToString() : null,
                Labels: Pairs(r, "labels"), Annotations: Pairs(r, "annotations")))).ToList();
        var actual = rule.Spec.Groups.SelectMany(g => g.Rules.Select(r => (Group: g.Name, Alert: r.Alert!, Expr: r.Expr.Trim(), r.For,
            Labels: Pairs(r.Labels), Annotations: Pairs(r.Annotations)))).ToList();
        Assert.True(expected.Count >= 6, "alerts.yml lost its rules?");
        Assert.True(expected.SequenceEqual(actual),
            "prometheusrule.yaml differs from prometheus/alerts.yml: run scripts/render-prometheus-rule.sh\n" +
            string.Join("\n", expected.Except(actual).Select(r => "only in alerts.yml: " + r.Alert).Concat(actual.Except(expected).Select(r => "only in prometheusrule.yaml: " + r.Alert))));
    }

    [Fact]
    public async Task The_dashboard_ConfigMap_holds_the_dashboard_file_byte_for_byte()
    {
        var manifests = await RenderedManifests.LoadAsync("single+ingress+monitoring+namespace-sharing");
        var map = manifests.Named<V1ConfigMap>("gantry-grafana-dashboard");
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(MonitoringDir, "grafana", "gantry.json")), map.Data["gantry.json"]);
        // Grafana's dashboard sidecar (kube-prometheus-stack) loads ConfigMaps with this label.
        Assert.Equal("1", map.Metadata.Labels["grafana_dashboard"]);
    }

    [Fact]
    public async Task The_ServiceMonitor_scrapes_metrics_on_the_API_port()
    {
        var manifests = await RenderedManifests.LoadAsync("ha+ingress+monitoring+namespace-sharing");
        var endpoint = Assert.Single(manifests.Single<ServiceMonitor>().Spec.Endpoints);
        Assert.Equal(("http", "/metrics"), (endpoint.Port, endpoint.Path));
    }

    private static string Pairs(YamlMappingNode rule, string key) =>
        rule.Children.TryGetValue(key, out var node) ? Pairs(((YamlMappingNode)node).Children.ToDictionary(p => p.Key.ToString(), p => p.Value.ToString())) : "";

    private static string Pairs(Dictionary<string, string> pairs) =>
        string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}").Order(StringComparer.Ordinal));
}
