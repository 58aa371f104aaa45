using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Core.Validation;

namespace Gantry.Core.Kinds;

/// <summary>
/// One kind of job Gantry can run. Kinds are an open set: adding one (Kubeflow Trainer's
/// TrainJob, say) means adding an implementation and registering it, not touching the core.
/// </summary>
public interface IJobKind
{
    /// <summary>The manifest's <c>kind</c>, exactly as the operator spells it.</summary>
    string Name { get; }

    /// <summary>Where the kind lives in Kubernetes, or null for kinds that never do (Command).</summary>
    KubernetesResource? Resource { get; }

    /// <summary>
    /// Validates <paramref name="manifest"/> and computes its gang demand. Problems are added
    /// to <paramref name="errors"/> with paths under <c>manifest.</c>; the returned demand is
    /// meaningful only when no error was added.
    /// </summary>
    ResourceDemand Analyze(JsonObject manifest, ValidationErrors errors);
}
