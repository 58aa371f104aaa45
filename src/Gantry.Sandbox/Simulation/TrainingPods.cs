using System.Globalization;
using System.Text.Json.Nodes;
using Gantry.Sandbox.Store;

namespace Gantry.Sandbox.Simulation;

/// <summary>The pods and headless Services the Training Operator creates per replica: <c>&lt;job&gt;-&lt;type&gt;-&lt;index&gt;</c> with its labels.</summary>
internal static class TrainingPods
{
    public sealed record Replica(string Type, int Index, JsonObject Template)
    {
        public string TypeLabel => Type.ToLowerInvariant();
    }

    /// <summary>Every replica of the job, Master first, from <c>spec.&lt;field&gt;</c> (<c>pytorchReplicaSpecs</c>, <c>jaxReplicaSpecs</c>).</summary>
    public static List<Replica> Replicas(JsonObject job, string field)
    {
        var replicas = new List<Replica>();
        var specs = job["spec"]?[field] as JsonObject ?? [];
        foreach (var (type, node) in specs.OrderBy(s => s.Key.Equals("Master", StringComparison.OrdinalIgnoreCase) ? 0 : 1).ThenBy(s => s.Key, StringComparer.Ordinal))
        {
            var count = node?["replicas"] is JsonValue value && value.TryGetValue<int>(out var n) ? n : 1;
            var template = node?["template"] as JsonObject ?? [];
            for (var i = 0; i < count; i++)
            {
                replicas.Add(new Replica(Canonical(type), i, template));
            }
        }
        return replicas;
    }

    public static string Name(JsonObject job, Replica replica) => $"{job.Name()}-{replica.TypeLabel}-{replica.Index}";

    /// <summary>The master-role replica: Master if the job has one, else worker 0.</summary>
    public static bool IsMasterRole(Replica replica, IReadOnlyList<Replica> all) =>
        all.Any(r => r.Type == "Master") ? replica.Type == "Master" : replica.Index == 0 && replica == all.FirstOrDefault(r => r.Type == "Worker");

    public static JsonObject Labels(JsonObject job, string controller, Replica replica, bool masterRole)
    {
        var labels = new JsonObject();
        foreach (var (key, value) in ObjectMeta.StringMap(replica.Template["metadata"]?["labels"]))
        {
            labels[key] = value;
        }
        labels["training.kubeflow.org/job-name"] = job.Name();
        labels["training.kubeflow.org/operator-name"] = controller;
        labels["training.kubeflow.org/replica-type"] = replica.TypeLabel;
        labels["training.kubeflow.org/replica-index"] = replica.Index.ToString(CultureInfo.InvariantCulture);
        if (masterRole)
        {
            labels["training.kubeflow.org/job-role"] = "master";
        }
        return labels;
    }

    public static JsonObject Pod(JsonObject job, Replica replica, JsonObject labels)
    {
        var spec = replica.Template["spec"]?.DeepClone() as JsonObject ?? [];
        spec.Remove("initContainers");
        spec["restartPolicy"] = "Never";
        spec["schedulerName"] = "default-scheduler";
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = Name(job, replica),
                ["namespace"] = job.Namespace(),
                ["labels"] = labels,
                ["annotations"] = replica.Template["metadata"]?["annotations"]?.DeepClone(),
                ["ownerReferences"] = Owners.ReferenceTo(job),
            },
            ["spec"] = spec,
            ["status"] = new JsonObject { ["phase"] = "Pending" },
        };
    }

    public static JsonObject HeadlessService(JsonObject job, Replica replica, JsonObject labels)
    {
        var ports = new JsonArray();
        foreach (var port in (replica.Template["spec"]?["containers"]?[0]?["ports"] as JsonArray ?? []).OfType<JsonObject>())
        {
            ports.Add(new JsonObject { ["name"] = port["name"]?.DeepClone(), ["port"] = port["containerPort"]?.DeepClone(), ["protocol"] = "TCP" });
        }
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = new JsonObject { ["name"] = Name(job, replica), ["namespace"] = job.Namespace(), ["labels"] = labels.DeepClone(), ["ownerReferences"] = Owners.ReferenceTo(job) },
            ["spec"] = new JsonObject { ["clusterIP"] = "None", ["ports"] = ports, ["selector"] = labels.DeepClone() },
        };
    }

    private static string Canonical(string type) => type.ToLowerInvariant() switch
    {
        "master" => "Master",
        "worker" => "Worker",
        _ => type,
    };
}
