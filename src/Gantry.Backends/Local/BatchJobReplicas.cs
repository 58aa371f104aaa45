using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Core.Kinds;

namespace Gantry.Backends.Local;

/// <summary>
/// A batch/v1 Job as local processes: one per pod that runs at once (<c>pod-0</c>, <c>pod-1</c>...,
/// <c>parallelism</c> capped by <c>completions</c>), each running the first container's command and
/// args with its literal env values (and <c>JOB_COMPLETION_INDEX</c> when Indexed); the image is
/// ignored. A failed process is run again as the Job controller replaces a failed pod, until the
/// Job's <c>backoffLimit</c> (default 6) is passed, and <c>activeDeadlineSeconds</c> holds.
/// </summary>
internal static class BatchJobReplicas
{
    public const string Kind = BatchJobKind.KindName;

    /// <summary>Why the local cluster cannot run this Job as processes, or null.</summary>
    public static string? WhyNot(JsonObject manifest)
    {
        var spec = manifest["spec"] as JsonObject ?? [];
        var (parallelism, completions) = (Integer(spec, "parallelism"), Integer(spec, "completions"));
        if (completions is { } c && c > (parallelism ?? 1))
        {
            // Each process stands for one pod for the whole run: nothing starts more as they finish.
            return $"the Job asks for {c} completions with parallelism {parallelism ?? 1}; the local backend runs all of a Job's pods at once, so completions must not exceed parallelism";
        }
        return BatchJobKind.Pods(parallelism, completions) == 0 ? "the Job has parallelism 0: no pod would run" : null;
    }

    public static ReplicaPlan For(string manifestJson)
    {
        var manifest = JsonNode.Parse(manifestJson) as JsonObject ?? [];
        var spec = manifest["spec"] as JsonObject ?? [];
        var podSpec = spec["template"]?["spec"] as JsonObject ?? [];
        var containers = (podSpec["containers"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var main = containers.FirstOrDefault() ?? [];
        var notes = new List<string>();
        var image = String(main, "image");
        notes.Add($"the image{(image is null ? "" : $" {image}")} is ignored locally: container {String(main, "name") ?? "?"}'s command runs on this machine");
        if (containers.Count > 1)
        {
            notes.Add($"only the first container runs locally; {string.Join(", ", containers.Skip(1).Select(c => String(c, "name") ?? "?"))} do not");
        }
        if (podSpec["initContainers"] is JsonArray { Count: > 0 })
        {
            notes.Add("init containers do not run locally");
        }
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in (main["env"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (String(entry, "name") is not { } name)
            {
                continue;
            }
            if (entry["value"] is JsonValue value)
            {
                env[name] = value.ToString();
            }
            else if (entry["valueFrom"] is not null)
            {
                notes.Add($"env '{name}' uses valueFrom, which cannot be resolved locally; it is left unset");
            }
        }
        var indexed = String(spec, "completionMode") == "Indexed";
        var command = Strings(main["command"]).Concat(Strings(main["args"])).ToList();
        var policy = String(podSpec, "restartPolicy") ?? RestartRule.Never;
        var backoffLimit = Integer(spec, "backoffLimit") is { } limit ? (int)limit : BatchJobKind.DefaultBackoffLimit;
        var processes = new List<ReplicaProcess>();
        var count = BatchJobKind.Pods(Integer(spec, "parallelism"), Integer(spec, "completions"));
        for (var i = 0; i < count; i++)
        {
            var name = $"pod-{i.ToString(CultureInfo.InvariantCulture)}";
            var podEnv = new Dictionary<string, string>(env, StringComparer.Ordinal) { ["HOSTNAME"] = name };
            if (indexed)
            {
                podEnv["JOB_COMPLETION_INDEX"] = i.ToString(CultureInfo.InvariantCulture);
            }
            // A failed pod is replaced (Never) or its container restarted (OnFailure): either way the process runs again.
            processes.Add(new ReplicaProcess(name, "Pod", command, podEnv, String(main, "workingDir"), RestartRule.OnFailure));
        }
        return new ReplicaPlan(processes, false, notes)
        {
            JobName = manifest["metadata"]?["name"] is JsonValue n && n.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : "",
            // The Job controller fails a Never Job once failures exceed backoffLimit, an OnFailure one
            // once restarts reach it; RestartRule counts the latter way.
            BackoffLimit = policy == RestartRule.OnFailure ? backoffLimit : backoffLimit + 1,
            ActiveDeadlineSeconds = Integer(spec, "activeDeadlineSeconds"),
            BatchJob = true,
            JobBackoffLimit = backoffLimit,
        };
    }

    private static long? Integer(JsonObject node, string field) =>
        node[field] is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            && double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? (long)d : null;

    private static string? String(JsonObject node, string field) =>
        node[field] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static IEnumerable<string> Strings(JsonNode? node) =>
        (node as JsonArray ?? []).Select(n => n is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : n?.ToJsonString() ?? "");
}
