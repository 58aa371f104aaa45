using System.Text.Json.Nodes;
using Gantry.Core.Kinds.Trainer;
using Gantry.Core.Validation;
using Gantry.Sandbox.Hosting;
using Gantry.Sandbox.Store;

namespace Gantry.Sandbox.Api;

/// <summary>
/// Kubeflow Trainer's validating webhook for TrainJob creates (trainer reference §1): the runtime
/// must exist already (a TrainingRuntime in the job's namespace, or a ClusterTrainingRuntime), and
/// the rules checked against it (<see cref="TrainJobRules"/>). A refusal is a 403, as controller-runtime
/// answers a denied request, worded as the API server relays a webhook's denial.
/// </summary>
internal static class TrainJobWebhook
{
    private const string Name = "validate.trainjob.trainer.kubeflow.org";

    public static void Admit(ClusterState state, ResourceType type, JsonObject trainJob)
    {
        if (type.Group != "trainer.kubeflow.org" || type.Kind != "TrainJob")
        {
            return;
        }
        if (RuntimeRef.Of(trainJob) is not { } reference)
        {
            return; // The schema requires runtimeRef.name; nothing to look up.
        }
        if (FindRuntime(state, reference, trainJob.Namespace()) is not { } runtime)
        {
            throw Denied($"spec.runtimeRef: Invalid value: \"{reference.Name}\": {reference.Kind} {reference.Name} must be created before the TrainJob is created");
        }
        var errors = new ValidationErrors();
        TrainJobRules.Check(trainJob, runtime, errors);
        if (!errors.IsEmpty)
        {
            throw Denied(string.Join(", ", errors.ToDictionary().Select(e => $"{e.Key.Replace("manifest.", "", StringComparison.Ordinal)}: Invalid value: {string.Join("; ", e.Value)}")));
        }
    }

    /// <summary>The runtime a TrainJob names, as this cluster stores it; null when it has none.</summary>
    public static TrainingRuntime? FindRuntime(ClusterState state, RuntimeRef reference, string ns)
    {
        var cluster = reference.Kind == TrainingRuntime.ClusterKind;
        if (state.Catalog.Find("trainer.kubeflow.org", cluster ? "clustertrainingruntimes" : "trainingruntimes") is not { } runtimes)
        {
            return null;
        }
        var stored = state.Store.Get(ObjectKey.For(runtimes, cluster ? null : ns, reference.Name));
        return stored is null ? null : TrainingRuntime.FromObject(stored);
    }

    private static ApiException Denied(string message) => new(403, "Forbidden", $"admission webhook \"{Name}\" denied the request: {message}");
}
