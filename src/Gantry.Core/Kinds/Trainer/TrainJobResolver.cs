using System.Text.Json.Nodes;
using Gantry.Core.Validation;

namespace Gantry.Core.Kinds.Trainer;

/// <summary>
/// Builds what the Trainer v2.3 controller builds from a TrainJob and its runtime (trainer
/// reference §2, §3): runtime patches merged onto the runtime's JobSet template, then per
/// replicated job the replica and pod counts, and the TrainJob's image, command, args, env and
/// resources (merged key by key, the v2.3 rule) in the trainer's <c>node</c> container. Pure.
/// </summary>
public static class TrainJobResolver
{
    public const string AncestorLabel = "trainer.kubeflow.org/trainjob-ancestor-step";

    /// <param name="containerDefault">What a container requesting no cpu (or memory) is counted as asking for, as for the other kinds.</param>
    /// <param name="problems">Why the runtime cannot run this TrainJob (no trainer step...), added under <c>manifest.spec.runtimeRef</c>.</param>
    public static ResolvedTrainJob Resolve(JsonObject manifest, TrainingRuntime runtime, Resources.Resources containerDefault, ValidationErrors problems)
    {
        var spec = manifest["spec"] as JsonObject ?? [];
        var trainer = spec["trainer"] as JsonObject;
        var initializer = spec["initializer"] as JsonObject;
        var policy = MlPolicy.Of(runtime.Spec);
        var jobSet = runtime.Spec["template"]?["spec"]?.DeepClone() as JsonObject ?? [];
        foreach (var patch in spec["runtimePatches"] as JsonArray ?? [])
        {
            if (patch?["trainingRuntimeSpec"]?["template"]?["spec"] is JsonObject patchSpec)
            {
                RuntimePatch.Apply(jobSet, patchSpec);
            }
        }
        var numNodes = Int(trainer?["numNodes"]);
        var steps = new List<TrainerStep>();
        foreach (var job in (jobSet["replicatedJobs"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = job["name"]?.ToString() ?? "";
            var template = job["template"] as JsonObject ?? [];
            var ancestor = template["metadata"]?["labels"]?[AncestorLabel]?.ToString();
            var jobSpec = template["spec"] as JsonObject ?? [];
            var podSpec = jobSpec["template"]?["spec"]?.DeepClone() as JsonObject ?? [];
            var parallelism = Int(jobSpec["parallelism"]) ?? 1;
            var replicas = ancestor is null ? Int(job["replicas"]) ?? 1 : 1;
            int count;
            if (ancestor == TrainerStep.TrainerAncestor && policy.IsMpi)
            {
                count = policy.NumNodes ?? 1;
            }
            else if (ancestor == TrainerStep.TrainerAncestor)
            {
                count = numNodes ?? (policy.Declared ? policy.NumNodes ?? 1 : parallelism);
            }
            else if (policy.IsMpi && name == "node" && numNodes is { } n)
            {
                count = policy.RunLauncherAsNode ? Math.Max(n - 1, 1) : n;
            }
            else
            {
                count = parallelism;
            }
            if (ancestor == TrainerStep.TrainerAncestor || (policy.RunLauncherAsNode && name == "node"))
            {
                OverrideTrainer(podSpec, trainer, takeCommand: ancestor == TrainerStep.TrainerAncestor);
            }
            else if (ancestor is TrainerStep.DatasetInitializer or TrainerStep.ModelInitializer)
            {
                OverrideInitializer(podSpec, ancestor, initializer?[ancestor == TrainerStep.DatasetInitializer ? "dataset" : "model"] as JsonObject);
            }
            var scratch = new ValidationErrors();
            var perPod = PodRequest.Read(new ManifestReader(scratch), podSpec, "pod", Resources.Resources.Zero, containerDefault);
            if (!scratch.IsEmpty)
            {
                problems.Add("manifest.spec.runtimeRef", $"{runtime.Describe()}: replicated job {name} has a pod template Gantry cannot size ({string.Join("; ", scratch.ToDictionary().Select(e => $"{e.Key} {string.Join(", ", e.Value)}"))})");
            }
            var dependsOn = (job["dependsOn"] as JsonArray ?? []).OfType<JsonObject>()
                .Where(d => d["name"] is not null)
                .ToDictionary(d => d["name"]!.ToString(), d => d["status"]?.ToString() ?? "Complete", StringComparer.Ordinal);
            steps.Add(new TrainerStep(name, ancestor, replicas, Math.Max(count, 0), podSpec, perPod, dependsOn));
        }
        if (!steps.Any(s => s.Ancestor == TrainerStep.TrainerAncestor))
        {
            problems.Add("manifest.spec.runtimeRef", $"{runtime.Describe()} has no replicated job labelled {AncestorLabel}: trainer, so it has nothing to train with");
        }
        var jobName = manifest["metadata"]?["name"]?.ToString() ?? "trainjob";
        return new ResolvedTrainJob(jobName, runtime, policy, steps);
    }

    /// <summary>The trainer's container <c>node</c>: image, command and args when set, env upserted by name, resources merged.</summary>
    private static void OverrideTrainer(JsonObject podSpec, JsonObject? trainer, bool takeCommand)
    {
        if (trainer is null || Container(podSpec, "node") is not { } node)
        {
            return;
        }
        if (takeCommand)
        {
            foreach (var field in new[] { "image", "command", "args" })
            {
                if (trainer[field] is { } value)
                {
                    node[field] = value.DeepClone();
                }
            }
        }
        UpsertEnv(node, trainer["env"] as JsonArray);
        if (trainer["resourcesPerNode"] is JsonObject resources)
        {
            node["resources"] = MergeResources(node["resources"] as JsonObject, resources);
        }
    }

    private static void OverrideInitializer(JsonObject podSpec, string step, JsonObject? initializer)
    {
        if (initializer is null || Container(podSpec, step) is not { } container)
        {
            return;
        }
        var env = new JsonArray();
        if (initializer["storageUri"] is JsonValue uri)
        {
            env.Add(new JsonObject { ["name"] = "STORAGE_URI", ["value"] = uri.DeepClone() });
        }
        foreach (var entry in initializer["env"] as JsonArray ?? [])
        {
            env.Add(entry?.DeepClone());
        }
        UpsertEnv(container, env);
        if (initializer["secretRef"]?["name"] is JsonValue secret)
        {
            var envFrom = container["envFrom"] as JsonArray ?? [];
            envFrom.Add(new JsonObject { ["secretRef"] = new JsonObject { ["name"] = secret.DeepClone() } });
            container["envFrom"] = envFrom;
        }
    }

    /// <summary>v2.3: requests and limits merged key by key, the TrainJob's value winning; claims merged by name.</summary>
    public static JsonObject MergeResources(JsonObject? runtime, JsonObject job)
    {
        var merged = runtime?.DeepClone() as JsonObject ?? [];
        foreach (var part in new[] { "requests", "limits" })
        {
            if (job[part] is not JsonObject amounts)
            {
                continue;
            }
            var target = merged[part] as JsonObject ?? [];
            foreach (var (key, value) in amounts)
            {
                target[key] = value?.DeepClone();
            }
            merged[part] = target;
        }
        if (job["claims"] is JsonArray claims)
        {
            var target = merged["claims"] as JsonArray ?? [];
            foreach (var claim in claims.OfType<JsonObject>())
            {
                var existing = target.OfType<JsonObject>().FirstOrDefault(c => c["name"]?.ToString() == claim["name"]?.ToString());
                if (existing is not null)
                {
                    target.Remove(existing);
                }
                target.Add(claim.DeepClone());
            }
            merged["claims"] = target;
        }
        return merged;
    }

    /// <summary>Replaces variables of the same name in place and appends the others, as the controller's apply does.</summary>
    public static void UpsertEnv(JsonObject container, JsonArray? env)
    {
        if (env is null || env.Count == 0)
        {
            return;
        }
        var list = container["env"] as JsonArray ?? [];
        container["env"] = list;
        foreach (var variable in env.OfType<JsonObject>())
        {
            var name = variable["name"]?.ToString();
            var index = list.Select((e, i) => (e, i)).FirstOrDefault(x => x.e?["name"]?.ToString() == name, (null, -1)).i;
            if (index >= 0)
            {
                list[index] = variable.DeepClone();
            }
            else
            {
                list.Add(variable.DeepClone());
            }
        }
    }

    public static JsonObject? Container(JsonObject podSpec, string name) =>
        (podSpec["containers"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(c => c["name"]?.ToString() == name);

    /// <summary>A whole number however JSON or YAML wrote it (3 or 3.0), or null.</summary>
    internal static int? Int(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.Number
            && double.TryParse(value.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number)
            && number == Math.Floor(number) && number is >= int.MinValue and <= int.MaxValue
            ? (int)number
            : null;
}
