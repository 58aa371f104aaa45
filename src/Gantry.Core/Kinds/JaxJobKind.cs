using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Core.Validation;

namespace Gantry.Core.Kinds;

// Placeholder replaced by the full kind on the core-kinds branch.
public sealed class JaxJobKind : IJobKind
{
    public string Name => "JAXJob";

    public KubernetesResource? Resource { get; } = new("kubeflow.org", "v1", "jaxjobs");

    public ResourceDemand Analyze(JsonObject manifest, ValidationErrors errors) =>
        new([new PodDemand("main", 1, new Resources.Resources(1000, 1L << 30, 0))]);
}
