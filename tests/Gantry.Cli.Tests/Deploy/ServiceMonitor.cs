using k8s;
using k8s.Models;

namespace Gantry.Cli.Tests.Deploy;

/// <summary>
/// The Prometheus Operator's ServiceMonitor (monitoring.coreos.com/v1), only the fields Gantry's
/// manifests may use: KubernetesClient has no model for it, and a strict load of a field not
/// here fails, as for the built-in kinds.
/// </summary>
public sealed class ServiceMonitor : IKubernetesObject<V1ObjectMeta>
{
    public const string TypeKey = "monitoring.coreos.com/v1/ServiceMonitor";

    public string ApiVersion { get; set; } = "";
    public string Kind { get; set; } = "";
    public V1ObjectMeta Metadata { get; set; } = new();
    public ServiceMonitorSpec Spec { get; set; } = new();

    public sealed class ServiceMonitorSpec
    {
        public V1LabelSelector Selector { get; set; } = new();
        public List<Endpoint> Endpoints { get; set; } = [];
    }

    public sealed class Endpoint
    {
        public string? Port { get; set; }
        public string? Path { get; set; }
        public string? Interval { get; set; }
    }
}
