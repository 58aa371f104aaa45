using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gantry.Backends.Local;

/// <summary>One local process standing in for one pod of a training job.</summary>
/// <param name="Name">As the logs API names it: <c>master-0</c>, <c>worker-1</c>.</param>
internal sealed record ReplicaProcess(
    string Name, string Type, IReadOnlyList<string> Command, IReadOnlyDictionary<string, string> Env, string? WorkingDir, string RestartPolicy);

/// <summary>
/// A PyTorchJob or JAXJob expanded into local processes, in the operator's order (PyTorch
/// Master-0 then Worker-0..n-1; JAX Worker-0..n-1), each with the environment the Training
/// Operator gives its pods, host names replaced by 127.0.0.1 and the fixed ports by
/// <c>port</c> (training-operator reference, sections 7 and 8), and the parts of <c>runPolicy</c>
/// the local backend enforces. Pure: manifest in, processes out.
/// </summary>
internal sealed record ReplicaPlan(IReadOnlyList<ReplicaProcess> Replicas, bool HasMaster, IReadOnlyList<string> Notes)
{
    /// <summary>The manifest's <c>metadata.name</c>, which the operator's failure messages name.</summary>
    public string JobName { get; init; } = "";

    /// <summary><c>runPolicy.backoffLimit</c>: null means restarts are not limited.</summary>
    public int? BackoffLimit { get; init; }

    /// <summary><c>runPolicy.activeDeadlineSeconds</c>, counted from the job's start.</summary>
    public long? ActiveDeadlineSeconds { get; init; }

    /// <summary>A TrainJob's nodes: the JobSet's words for the job's end (<see cref="LocalJobRun.Decide"/>).</summary>
    public bool TrainJob { get; init; }

    /// <summary>A batch/v1 Job's pods: the Job controller's words for the job's end (<see cref="LocalJobRun.Decide"/>).</summary>
    public bool BatchJob { get; init; }

    /// <summary>A batch/v1 Job's own <c>backoffLimit</c>, as its messages quote it (<see cref="BackoffLimit"/> is what RestartRule counts to).</summary>
    public int JobBackoffLimit { get; init; }

    /// <summary>A TrainJob's trainer Job (<c>&lt;tj&gt;-node-0</c>), which JobSet's failure message names.</summary>
    public string FirstFailedJob { get; init; } = "";

    /// <summary>A TrainJob's runtime, for its start message.</summary>
    public string RuntimeName { get; init; } = "";

    public const string LocalHost = "127.0.0.1";

    public static bool Supports(string kind) => kind is "PyTorchJob" or "JAXJob" or TrainJobReplicas.Kind or BatchJobReplicas.Kind;

    /// <summary>The replica whose log is the job's primary log: the master, else worker 0.</summary>
    public string Primary => Replicas[0].Name;

    public static ReplicaPlan For(string kind, string manifestJson, int port)
    {
        if (kind == TrainJobReplicas.Kind)
        {
            return TrainJobReplicas.For(manifestJson, port);
        }
        if (kind == BatchJobReplicas.Kind)
        {
            return BatchJobReplicas.For(manifestJson);
        }
        var pytorch = kind == "PyTorchJob";
        var manifest = JsonNode.Parse(manifestJson) as JsonObject ?? [];
        var spec = manifest["spec"] as JsonObject ?? [];
        var map = spec[pytorch ? "pytorchReplicaSpecs" : "jaxReplicaSpecs"] as JsonObject ?? [];
        var types = pytorch ? new[] { "Master", "Worker" } : ["Worker"];
        var container = pytorch ? "pytorch" : "jax";
        var notes = new List<string>();
        var expanded = new List<(string Type, int Index, JsonObject Replica)>();
        foreach (var type in types)
        {
            var replica = map.FirstOrDefault(e => e.Key.Equals(type, StringComparison.OrdinalIgnoreCase)).Value as JsonObject;
            if (replica is null)
            {
                continue;
            }
            var count = replica["replicas"] is JsonValue r && r.TryGetValue<long>(out var n) ? (int)n : 1;
            for (var i = 0; i < count; i++)
            {
                expanded.Add((type, i, replica));
            }
        }
        var hasMaster = expanded.Any(e => e.Type == "Master");
        var total = expanded.Count;
        // The operator multiplies WORLD_SIZE by spec.nprocPerNode only; the deprecated
        // elasticPolicy.nProcPerNode reaches torchrun through PET_NPROC_PER_NODE alone.
        var nproc = String(spec, "nprocPerNode");
        var perNode = int.TryParse(nproc, NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 1;
        var elasticNproc = spec["elasticPolicy"] is JsonObject elastic ? Integer(elastic, "nProcPerNode")?.ToString(CultureInfo.InvariantCulture) : null;
        if (pytorch && perNode > 1)
        {
            notes.Add($"nprocPerNode {perNode}: WORLD_SIZE counts {perNode} processes per replica, as on the cluster, where one pod runs per replica; " +
                "its command must start them itself (torchrun does, from PET_NPROC_PER_NODE)");
        }
        if (pytorch && !hasMaster && spec["elasticPolicy"] is null)
        {
            notes.Add("without a Master the operator sets no MASTER_ADDR, RANK or WORLD_SIZE; neither does the local backend");
        }
        if (pytorch && spec["elasticPolicy"] is not null)
        {
            notes.Add("elasticPolicy is not emulated locally (no PET_RDZV_* variables)");
        }

        var processes = new List<ReplicaProcess>();
        foreach (var (type, index, replica) in expanded)
        {
            var name = $"{type.ToLowerInvariant()}-{index}";
            var main = Container(replica, container);
            var env = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in main?["env"] as JsonArray ?? [])
            {
                if (entry is not JsonObject e || String(e, "name") is not { } key)
                {
                    continue;
                }
                if (String(e, "value") is { } value)
                {
                    env[key] = value;
                }
                else if (e["valueFrom"] is not null && !notes.Any(x => x.Contains($"'{key}'", StringComparison.Ordinal)))
                {
                    notes.Add($"env '{key}' uses valueFrom, which cannot be resolved locally; it is left unset");
                }
            }
            // The operator appends its variables after the container's own, so its values win.
            env["PYTHONUNBUFFERED"] = "1";
            env["HOSTNAME"] = name;
            if (pytorch)
            {
                if (hasMaster)
                {
                    var rank = (type == "Master" ? index : index + 1).ToString(CultureInfo.InvariantCulture);
                    env["MASTER_ADDR"] = env["PET_MASTER_ADDR"] = LocalHost;
                    env["MASTER_PORT"] = env["PET_MASTER_PORT"] = port.ToString(CultureInfo.InvariantCulture);
                    env["WORLD_SIZE"] = (total * perNode).ToString(CultureInfo.InvariantCulture);
                    env["RANK"] = env["PET_NODE_RANK"] = rank;
                }
                env["PET_NPROC_PER_NODE"] = nproc ?? elasticNproc ?? "auto";
                env["PET_NNODES"] = total.ToString(CultureInfo.InvariantCulture);
            }
            else
            {
                env["COORDINATOR_ADDRESS"] = LocalHost;
                env["COORDINATOR_PORT"] = port.ToString(CultureInfo.InvariantCulture);
                env["NUM_PROCESSES"] = total.ToString(CultureInfo.InvariantCulture);
                env["PROCESS_ID"] = index.ToString(CultureInfo.InvariantCulture);
            }
            var command = Strings(main?["command"]).Concat(Strings(main?["args"])).ToList();
            var policy = String(replica, "restartPolicy") ?? (pytorch ? "OnFailure" : "Never");
            processes.Add(new ReplicaProcess(name, type, command, env, main is null ? null : String(main, "workingDir"), policy));
        }
        var runPolicy = spec["runPolicy"] as JsonObject ?? [];
        return new ReplicaPlan(processes, hasMaster, notes)
        {
            JobName = manifest["metadata"] is JsonObject metadata ? String(metadata, "name") ?? "" : "",
            BackoffLimit = Integer(runPolicy, "backoffLimit") is { } limit ? (int)limit : null,
            ActiveDeadlineSeconds = Integer(runPolicy, "activeDeadlineSeconds"),
        };
    }

    private static JsonObject? Container(JsonObject replica, string name) =>
        (replica["template"]?["spec"]?["containers"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .FirstOrDefault(c => String(c, "name") == name);

    private static IEnumerable<string> Strings(JsonNode? node) =>
        (node as JsonArray ?? []).Select(n => n is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : n?.ToJsonString() ?? "");

    /// <summary>A whole number however JSON wrote it (3 or 3.0); the manifest was validated at submission.</summary>
    private static long? Integer(JsonObject node, string field) =>
        node[field] is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            && double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? (long)d : null;

    private static string? String(JsonObject node, string field) =>
        node[field] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
