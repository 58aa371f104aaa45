using System.Text.Json.Nodes;

namespace Gantry.Core.Kinds.Trainer;

/// <summary>
/// A <c>runtimePatches[].trainingRuntimeSpec.template.spec</c> merged onto the runtime's JobSet
/// spec the way the controller's strategic merge does for the fields patches may carry:
/// replicated jobs and containers by name, env and volume mounts by name, objects key by key, any
/// other list (tolerations, volumes...) replaced whole. Patches cannot touch counts or resources.
/// </summary>
internal static class RuntimePatch
{
    public static void Apply(JsonObject jobSet, JsonObject patch)
    {
        foreach (var jobPatch in (patch["replicatedJobs"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var target = (jobSet["replicatedJobs"] as JsonArray ?? []).OfType<JsonObject>()
                .FirstOrDefault(j => j["name"]?.ToString() == jobPatch["name"]?.ToString());
            if (target is not null && jobPatch["template"] is JsonObject template)
            {
                target["template"] = Merge(target["template"] as JsonObject ?? [], template);
            }
        }
    }

    private static readonly HashSet<string> ByName = new(StringComparer.Ordinal) { "containers", "initContainers", "env", "volumeMounts" };

    private static JsonObject Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is JsonObject patchObject && target[key] is JsonObject targetObject)
            {
                Merge(targetObject, patchObject);
            }
            else if (value is JsonArray patchArray && ByName.Contains(key) && target[key] is JsonArray targetArray)
            {
                foreach (var item in patchArray.OfType<JsonObject>())
                {
                    var existing = targetArray.OfType<JsonObject>().FirstOrDefault(t => t["name"]?.ToString() == item["name"]?.ToString());
                    if (existing is null)
                    {
                        targetArray.Add(item.DeepClone());
                    }
                    else
                    {
                        Merge(existing, item);
                    }
                }
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
        return target;
    }
}
