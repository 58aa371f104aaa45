using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Core.Kinds;
using k8s.Models;

namespace Gantry.Backends.Kubernetes;

/// <summary>
/// What the backend must know about one operator's custom resource: where it lives, how its
/// status reads in Gantry's terms, where the job's environment goes in its spec, and which pod
/// holds which replica's log.
/// </summary>
internal abstract class Workload
{
    public abstract string Kind { get; }

    public abstract KubernetesResource Resource { get; }

    /// <summary>Which objects of the kind its informer follows: Gantry's own (by the job-id label), or every one (null).</summary>
    public virtual string? LabelSelector => GantryLabels.Selector;

    /// <summary>Whether every API server serves the kind (batch/v1 Job): then no CRD says whether the cluster runs it, and there is no CRD schema to check it against.</summary>
    public virtual bool BuiltIn => false;

    /// <summary>
    /// Whether a labelled object of the kind is Gantry's job rather than something a job of another
    /// kind made (a TrainJob's JobSet makes Jobs): only those are reported and swept.
    /// </summary>
    public virtual bool IsDispatched(JsonElement resource) => true;

    /// <summary>Whether a change of raw state within one Gantry state is recorded (as a note event), as a TrainJob's Suspended is.</summary>
    public virtual bool NotesWithinState => false;

    /// <summary>The operator that acts on this kind, for messages ("the Spark operator").</summary>
    public abstract string Operator { get; }

    /// <summary>Whether the operator's failure message leaves out what the failed pods say (then Gantry adds it).</summary>
    public virtual bool FailuresInPods => false;

    /// <summary>Reads the resource's status.</summary>
    public abstract ObservedStatus Observe(JsonElement resource, Uri server);

    /// <summary>Adds <paramref name="env"/> to every container the operator will start and <paramref name="podLabels"/> to its pods where the operator does not copy them.</summary>
    public abstract void Prepare(JsonObject spec, IReadOnlyList<JsonObject> env, IReadOnlyDictionary<string, string> podLabels);

    /// <summary>Makes the job's web UI generate its links under <paramref name="proxyBase"/>, the gateway's path for it; most kinds have no UI.</summary>
    public virtual void SetUiProxyBase(JsonObject spec, string proxyBase)
    {
    }

    /// <summary>
    /// The replicas the manifest asks for, by the names logs use ("driver", "executor-1",
    /// "master-0", "worker-1"); the first is the one whose log is shown when none is asked for.
    /// </summary>
    public abstract IReadOnlyList<string> Replicas(JsonObject manifest);

    /// <summary>Selects every pod of the resource named <paramref name="name"/>.</summary>
    public abstract string PodSelector(string name);

    /// <summary>The replica a pod of this kind plays ("driver", "executor-1", "worker-0"), or null.</summary>
    public abstract string? ReplicaOf(V1Pod pod);

    /// <summary>
    /// The pod that holds <paramref name="replica"/>'s log among the resource's pods: the newest with
    /// that replica label (a replica restarted by its operator may briefly have two).
    /// </summary>
    public virtual V1Pod? PodOf(IReadOnlyList<V1Pod> pods, string replica) =>
        pods.Where(p => ReplicaOf(p) == replica).OrderByDescending(p => p.Metadata.CreationTimestamp).FirstOrDefault();

    /// <summary>The container whose log is the replica's.</summary>
    public abstract string? ContainerOf(V1Pod pod);

    /// <summary>Replaces variables of the same names, so a manifest cannot shadow what Gantry sets.</summary>
    protected static void SetEnv(JsonObject container, IReadOnlyList<JsonObject> env)
    {
        var list = container["env"] as JsonArray ?? [];
        container["env"] = list;
        var names = env.Select(e => (string?)e["name"]).ToHashSet(StringComparer.Ordinal);
        for (var i = list.Count - 1; i >= 0; i--)
        {
            if (list[i] is JsonObject existing && names.Contains((string?)existing["name"]))
            {
                list.RemoveAt(i);
            }
        }
        foreach (var variable in env)
        {
            list.Add(variable.DeepClone());
        }
    }

    protected static JsonObject ChildObject(JsonObject parent, string name)
    {
        if (parent[name] is JsonObject child)
        {
            return child;
        }
        child = [];
        parent[name] = child;
        return child;
    }

    protected static string? Text(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }
        return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
    }

    protected static int Count(JsonNode? node, int fallback) =>
        node is JsonValue value && value.TryGetValue<int>(out var count) ? count : fallback;

    protected static string? Label(V1Pod pod, string key) =>
        pod.Metadata?.Labels is { } labels && labels.TryGetValue(key, out var value) ? value : null;
}
