using System.Text.Json.Nodes;
using Gantry.Core.Validation;

namespace Gantry.Core.Kinds.Trainer;

/// <summary>
/// The checks upstream's TrainJob admission webhook makes against the runtime (trainer reference
/// §1): reserved environment names per framework, the initializer's job, container and
/// <c>initializer</c> volume mount, and what runtime patches may target. Used at submission against
/// each cluster's runtime and by the sandbox's admission.
/// </summary>
public static class TrainJobRules
{
    private static readonly string[] TorchReserved = ["PET_NNODES", "PET_NPROC_PER_NODE", "PET_NODE_RANK", "PET_MASTER_ADDR", "PET_MASTER_PORT"];
    private static readonly string[] MpiReserved =
        ["OMPI_MCA_orte_default_hostfile", "OMPI_MCA_plm_rsh_args", "OMPI_MCA_orte_keep_fqdn_hostnames", "OMPI_MCA_orte_set_default_slots"];
    private static readonly string[] XGBoostReserved = ["DMLC_TRACKER_URI", "DMLC_TRACKER_PORT", "DMLC_TASK_ID", "DMLC_NUM_WORKER"];
    private static readonly string[] EnvLockedContainers = ["node", TrainerStep.DatasetInitializer, TrainerStep.ModelInitializer];

    public static void Check(JsonObject manifest, TrainingRuntime runtime, ValidationErrors errors)
    {
        var spec = manifest["spec"] as JsonObject ?? [];
        var policy = MlPolicy.Of(runtime.Spec);
        var reserved = policy.Framework switch
        {
            MlPolicy.Torch => TorchReserved,
            MlPolicy.Mpi => MpiReserved,
            MlPolicy.XGBoost => XGBoostReserved,
            _ => [],
        };
        var env = spec["trainer"]?["env"] as JsonArray ?? [];
        for (var i = 0; i < env.Count; i++)
        {
            if (env[i]?["name"]?.ToString() is { } name && reserved.Contains(name, StringComparer.Ordinal))
            {
                errors.Add($"manifest.spec.trainer.env[{i}].name",
                    $"{name} is reserved: the {policy.Framework} runtime {runtime.Name} sets it ({string.Join(", ", reserved)})");
            }
        }
        var jobs = (runtime.Spec["template"]?["spec"]?["replicatedJobs"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        foreach (var (field, step) in new[] { ("dataset", TrainerStep.DatasetInitializer), ("model", TrainerStep.ModelInitializer) })
        {
            if (spec["initializer"]?[field] is not JsonObject)
            {
                continue;
            }
            var path = $"manifest.spec.initializer.{field}";
            var job = jobs.FirstOrDefault(j => j["name"]?.ToString() == step);
            var container = job?["template"]?["spec"]?["template"]?["spec"] is JsonObject podSpec ? TrainJobResolver.Container(podSpec, step) : null;
            if (job is null)
            {
                errors.Add(path, $"{runtime.Describe()} must have a replicated job {step} for the {field} initializer");
            }
            else if (container is null)
            {
                errors.Add(path, $"{runtime.Describe()} must have a container {step} in replicated job {step}");
            }
            else if (!(container["volumeMounts"] as JsonArray ?? []).Any(m => m?["name"]?.ToString() == "initializer"))
            {
                errors.Add(path, $"{runtime.Describe()}: container {step} must have a volumeMount named initializer (the volume that hands the {field} to the trainer)");
            }
        }
        var patches = spec["runtimePatches"] as JsonArray ?? [];
        for (var p = 0; p < patches.Count; p++)
        {
            var patchJobs = patches[p]?["trainingRuntimeSpec"]?["template"]?["spec"]?["replicatedJobs"] as JsonArray ?? [];
            for (var j = 0; j < patchJobs.Count; j++)
            {
                var path = $"manifest.spec.runtimePatches[{p}].trainingRuntimeSpec.template.spec.replicatedJobs[{j}]";
                var name = patchJobs[j]?["name"]?.ToString();
                var target = jobs.FirstOrDefault(x => x["name"]?.ToString() == name);
                if (target is null)
                {
                    errors.Add($"{path}.name", $"{runtime.Describe()} has no replicated job '{name}'");
                    continue;
                }
                var podPatch = patchJobs[j]?["template"]?["spec"]?["template"]?["spec"] as JsonObject;
                var podSpec = target["template"]?["spec"]?["template"]?["spec"] as JsonObject ?? [];
                foreach (var list in new[] { "containers", "initContainers" })
                {
                    var patched = podPatch?[list] as JsonArray ?? [];
                    for (var c = 0; c < patched.Count; c++)
                    {
                        var containerName = patched[c]?["name"]?.ToString();
                        var cpath = $"{path}.template.spec.template.spec.{list}[{c}]";
                        if (!(podSpec[list] as JsonArray ?? []).Any(x => x?["name"]?.ToString() == containerName))
                        {
                            errors.Add($"{cpath}.name", $"replicated job {name} of {runtime.Describe()} has no {(list == "containers" ? "container" : "init container")} '{containerName}'");
                        }
                        else if (patched[c]?["env"] is not null && list == "containers" && EnvLockedContainers.Contains(containerName, StringComparer.Ordinal))
                        {
                            errors.Add($"{cpath}.env", $"env of container {containerName} cannot be patched; use spec.trainer.env or spec.initializer.*.env");
                        }
                    }
                }
            }
        }
    }
}
