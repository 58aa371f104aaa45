using k8s;
using k8s.Models;

namespace Gantry.Cli.Tests.Deploy;

/// <summary>The Prometheus Operator's PrometheusRule (monitoring.coreos.com/v1), as far as alerting rules go; see <see cref="ServiceMonitor"/>.</summary>
public sealed class PrometheusRule : IKubernetesObject<V1ObjectMeta>
{
    public const string TypeKey = "monitoring.coreos.com/v1/PrometheusRule";

    public string ApiVersion { get; set; } = "";
    public string Kind { get; set; } = "";
    public V1ObjectMeta Metadata { get; set; } = new();
    public RuleSpec Spec { get; set; } = new();

    public sealed class RuleSpec
    {
        public List<RuleGroup> Groups { get; set; } = [];
    }

    public sealed class RuleGroup
    {
        public string Name { get; set; } = "";
        public List<Rule> Rules { get; set; } = [];
    }

    public sealed class Rule
    {
        public string? Alert { get; set; }
        public string? Record { get; set; }
        public string Expr { get; set; } = "";
        public string? For { get; set; }
        public Dictionary<string, string> Labels { get; set; } = [];
        public Dictionary<string, string> Annotations { get; set; } = [];
    }
}
