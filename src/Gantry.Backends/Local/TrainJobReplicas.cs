using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Core.Kinds.Trainer;
using Gantry.Core.Validation;

namespace Gantry.Backends.Local;

/// <summary>
/// A TrainJob as local processes: one per trainer node (<c>node-0-0</c>, <c>node-0-1</c>...), each
/// running container <c>node</c>'s command and args with the runtime's environment contract
/// (<see cref="TrainerEnv"/>: rank 0 on 127.0.0.1 at the job's reserved port), its restartPolicy
/// and the Job's backoffLimit (JobSet defaults: OnFailure, 6), and <c>activeDeadlineSeconds</c>.
/// </summary>
internal static class TrainJobReplicas
{
    public const string Kind = "TrainJob";

    /// <summary>Why the local cluster cannot run this TrainJob as processes, or null.</summary>
    public static string? WhyNot(JsonObject manifest)
    {
        if (Resolve(manifest, out var problem) is not { } resolved)
        {
            return problem;
        }
        if (resolved.Steps.Any(s => s.IsInitializer))
        {
            return $"runtime {resolved.Runtime.Name} has initializer steps, which the local backend does not run";
        }
        if (resolved.Policy.IsMpi)
        {
            return $"runtime {resolved.Runtime.Name} is MPI-shaped (sshd and mpirun across pods), which the local backend does not emulate";
        }
        return null;
    }

    public static ReplicaPlan For(string manifestJson, int port)
    {
        var manifest = JsonNode.Parse(manifestJson) as JsonObject ?? [];
        var resolved = Resolve(manifest, out _);
        var trainer = resolved?.Trainer;
        if (resolved is null || trainer is null)
        {
            return new ReplicaPlan([], false, []);
        }
        var contract = new TrainerEnv(ReplicaPlan.LocalHost, port);
        var container = trainer.MainContainer ?? [];
        var notes = new List<string>();
        var baseEnv = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in (container["env"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (entry["name"]?.ToString() is not { } name)
            {
                continue;
            }
            if (entry["value"] is JsonValue value)
            {
                baseEnv[name] = value.ToString();
            }
            else if (entry["valueFrom"] is not null)
            {
                notes.Add($"env '{name}' uses valueFrom, which cannot be resolved locally; it is left unset");
            }
        }
        var command = Strings(container["command"]).Concat(Strings(container["args"])).ToList();
        var restartPolicy = trainer.PodSpec["restartPolicy"]?.ToString() ?? RestartRule.OnFailure;
        var processes = new List<ReplicaProcess>();
        var index = 0;
        foreach (var name in trainer.PodNames())
        {
            var env = new Dictionary<string, string>(baseEnv, StringComparer.Ordinal)
            {
                ["PYTHONUNBUFFERED"] = "1",
                ["HOSTNAME"] = name,
            };
            foreach (var (key, value) in contract.For(resolved, manifest, index))
            {
                env[key] = value;
            }
            processes.Add(new ReplicaProcess(name, "Node", command, env, container["workingDir"]?.ToString(), restartPolicy));
            index++;
        }
        var backoff = BackoffLimit(resolved.Runtime, trainer.Name);
        return new ReplicaPlan(processes, false, notes)
        {
            JobName = resolved.JobName,
            BackoffLimit = backoff,
            ActiveDeadlineSeconds = manifest["spec"]?["activeDeadlineSeconds"] is JsonValue d && d.TryGetValue<long>(out var seconds) ? seconds : null,
            TrainJob = true,
            FirstFailedJob = $"{resolved.JobName}-{trainer.Name}-0",
            RuntimeName = resolved.Runtime.Name,
        };
    }

    /// <summary>The resolved node container in a PyTorchJob's shape, so the same command and script checks apply.</summary>
    public static JsonObject AsReplicaSpecs(JsonObject manifest)
    {
        var plan = TrainJobReplicas.For(manifest.ToJsonString(), 0);
        var first = plan.Replicas.Count > 0 ? plan.Replicas[0] : null;
        var container = new JsonObject
        {
            ["name"] = "node",
            ["command"] = new JsonArray([.. (first?.Command ?? []).Select(c => (JsonNode?)c)]),
        };
        if (first?.WorkingDir is { } dir)
        {
            container["workingDir"] = dir;
        }
        return new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["pytorchReplicaSpecs"] = new JsonObject
                {
                    ["Worker"] = new JsonObject
                    {
                        ["template"] = new JsonObject { ["spec"] = new JsonObject { ["containers"] = new JsonArray(container) } },
                    },
                },
            },
        };
    }

    private static ResolvedTrainJob? Resolve(JsonObject manifest, out string? problem)
    {
        problem = null;
        if (RuntimeRef.Of(manifest) is not { } reference)
        {
            problem = "the TrainJob names no runtime";
            return null;
        }
        if (reference.Find(LocalRuntimes.All, "") is not { } runtime)
        {
            problem = $"no {reference} (local has {string.Join(", ", LocalRuntimes.All.Select(r => r.Name))})";
            return null;
        }
        var errors = new ValidationErrors();
        var resolved = new TrainJobKind().Resolve(manifest, runtime, errors);
        if (!errors.IsEmpty)
        {
            problem = string.Join("; ", errors.ToDictionary().Select(e => $"{e.Key} {string.Join(", ", e.Value)}"));
            return null;
        }
        return resolved;
    }

    /// <summary>The trainer Job's backoffLimit in the runtime, else Kubernetes' default of 6.</summary>
    private static int BackoffLimit(TrainingRuntime runtime, string job) =>
        (runtime.Spec["template"]?["spec"]?["replicatedJobs"] as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(j => j["name"]?.ToString() == job)?["template"]?["spec"]?["backoffLimit"] is JsonValue v && v.TryGetValue<int>(out var limit)
            ? limit
            : 6;

    private static IEnumerable<string> Strings(JsonNode? node) =>
        (node as JsonArray ?? []).Select(n => n is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : n?.ToJsonString() ?? "");
}
