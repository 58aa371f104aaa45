using System.Globalization;
using System.Text.Json.Nodes;
using Gantry.Sandbox.Store;

namespace Gantry.Sandbox.Simulation;

/// <summary>
/// What the Job controller makes of a Job's pod template: pods named <c>&lt;job&gt;-&lt;5 random&gt;</c>
/// (<c>&lt;job&gt;-&lt;index&gt;-&lt;5 random&gt;</c> when Indexed, with host name <c>&lt;job&gt;-&lt;index&gt;</c>),
/// the template's labels plus <c>batch.kubernetes.io/job-name</c>, <c>job-name</c> and the
/// controller-uid pair, and for Indexed Jobs the completion index as label, annotation and
/// <c>JOB_COMPLETION_INDEX</c>.
/// </summary>
internal static class BatchJobPods
{
    public const string JobName = "batch.kubernetes.io/job-name";
    public const string LegacyJobName = "job-name";
    public const string ControllerUid = "batch.kubernetes.io/controller-uid";
    public const string LegacyControllerUid = "controller-uid";
    public const string CompletionIndex = "batch.kubernetes.io/job-completion-index";

    // The API server's generateName alphabet: no vowels, no look-alike digits.
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static JsonObject Pod(JsonObject job, int? index)
    {
        var template = job["spec"]?["template"] as JsonObject ?? [];
        var spec = template["spec"]?.DeepClone() as JsonObject ?? [];
        spec["schedulerName"] ??= "default-scheduler";
        var labels = new JsonObject();
        foreach (var (key, value) in ObjectMeta.StringMap(template["metadata"]?["labels"]))
        {
            labels[key] = value;
        }
        labels[ControllerUid] = job.Uid();
        labels[LegacyControllerUid] = job.Uid();
        labels[JobName] = job.Name();
        labels[LegacyJobName] = job.Name();
        var annotations = template["metadata"]?["annotations"]?.DeepClone() as JsonObject ?? [];
        var prefix = $"{job.Name()}-";
        if (index is { } i)
        {
            var text = i.ToString(CultureInfo.InvariantCulture);
            labels[CompletionIndex] = text;
            annotations[CompletionIndex] = text;
            prefix = $"{job.Name()}-{text}-";
            spec["hostname"] ??= $"{job.Name()}-{text}";
            foreach (var container in (spec["containers"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var env = container["env"] as JsonArray ?? [];
                container["env"] = env;
                env.Add(new JsonObject
                {
                    ["name"] = "JOB_COMPLETION_INDEX",
                    ["valueFrom"] = new JsonObject { ["fieldRef"] = new JsonObject { ["fieldPath"] = $"metadata.labels['{CompletionIndex}']" } },
                });
            }
        }
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = prefix + Suffix(),
                ["namespace"] = job.Namespace(),
                ["labels"] = labels,
                ["annotations"] = annotations,
                ["ownerReferences"] = Owners.ReferenceTo(job),
            },
            ["spec"] = spec,
            ["status"] = new JsonObject { ["phase"] = "Pending" },
        };
    }

    /// <summary>The pod's completion index, for an Indexed Job's pods.</summary>
    public static int? IndexOf(JsonObject pod) =>
        int.TryParse(pod.Labels().GetValueOrDefault(CompletionIndex), NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : null;

    /// <summary>The kubelet restarting a failed container in place (restartPolicy OnFailure): the pod runs on, one restart more.</summary>
    public static void RestartContainer(JsonObject pod, DateTimeOffset now, string message)
    {
        if (pod["status"]?["containerStatuses"]?[0] is not JsonObject container)
        {
            return;
        }
        var restarts = container["restartCount"] is JsonValue count && count.TryGetValue<int>(out var n) ? n : 0;
        container["restartCount"] = restarts + 1;
        container["lastState"] = new JsonObject
        {
            ["terminated"] = new JsonObject
            {
                ["exitCode"] = 1,
                ["reason"] = "Error",
                ["message"] = message,
                ["startedAt"] = container["state"]?["running"]?["startedAt"]?.DeepClone(),
                ["finishedAt"] = ObjectMeta.Timestamp(now),
            },
        };
        container["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = ObjectMeta.Timestamp(now) } };
    }

    public static int Restarts(JsonObject pod) =>
        (pod["status"]?["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>()
            .Sum(c => c["restartCount"] is JsonValue v && v.TryGetValue<int>(out var n) ? n : 0);

    /// <summary>"0-2,4": the API server's compressed form of a set of indexes.</summary>
    public static string Ranges(IEnumerable<int> indexes)
    {
        var parts = new List<string>();
        var sorted = indexes.Distinct().Order().ToList();
        for (var i = 0; i < sorted.Count;)
        {
            var j = i;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j] + 1)
            {
                j++;
            }
            parts.Add(j == i ? sorted[i].ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{sorted[i]}-{sorted[j]}"));
            i = j + 1;
        }
        return string.Join(',', parts);
    }

    private static string Suffix() => string.Create(5, 0, (span, _) =>
    {
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = Alphabet[Random.Shared.Next(Alphabet.Length)];
        }
    });
}
