using Gantry.Core.Clusters;
using k8s.Models;
using Res = Gantry.Core.Resources.Resources;

namespace Gantry.Backends.Kubernetes;

/// <summary>
/// Free capacity as the Kubernetes scheduler would count it: each schedulable node's allocatable
/// minus the requests of the pods bound to it that have not terminated.
/// </summary>
internal static class CapacityCalculator
{
    public const string Gpu = "nvidia.com/gpu";

    /// <summary>
    /// Capacity and free per node, and how many pods of each Gantry job (by its job-id label) the
    /// reading counts as bound: the scheduler treats the rest of the job's pods as still on their way.
    /// </summary>
    public static (Res Capacity, Res Free, IReadOnlyList<NodeCapacity> Nodes, IReadOnlyDictionary<string, int> BoundPods) Compute(
        IEnumerable<V1Node> nodes, IEnumerable<V1Pod> pods)
    {
        var used = new Dictionary<string, Res>(StringComparer.Ordinal);
        var bound = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            if (pod.Spec?.NodeName is not { Length: > 0 } node || pod.Status?.Phase is "Succeeded" or "Failed")
            {
                continue;
            }
            used[node] = used.GetValueOrDefault(node) + Request(pod.Spec);
            var labels = pod.Metadata?.Labels;
            if (labels is not null && labels.TryGetValue(GantryLabels.JobId, out var jobId))
            {
                bound[jobId] = bound.GetValueOrDefault(jobId) + 1;
            }
            else if (labels is not null && labels.TryGetValue(TrainJobWorkload.JobSetLabel, out var jobSet) && GantryLabels.JobIdOf(jobSet) is { } trainJob)
            {
                // A TrainJob's pods carry its JobSet's labels, not the TrainJob's: the JobSet is named like it.
                bound[trainJob] = bound.GetValueOrDefault(trainJob) + 1;
            }
        }
        var result = new List<NodeCapacity>();
        foreach (var node in nodes.Where(Schedulable).OrderBy(n => n.Metadata.Name, StringComparer.Ordinal))
        {
            var allocatable = Amount(node.Status?.Allocatable, null);
            var free = allocatable - used.GetValueOrDefault(node.Metadata.Name);
            result.Add(new NodeCapacity(node.Metadata.Name, allocatable, free));
        }
        var capacity = result.Aggregate(Res.Zero, (sum, n) => sum + n.Allocatable);
        var totalFree = result.Aggregate(Res.Zero, (sum, n) => sum + n.Free);
        return (capacity, totalFree, result, bound);
    }

    /// <summary>Cordoned nodes and nodes that are not Ready take no new pods.</summary>
    private static bool Schedulable(V1Node node) =>
        node.Spec?.Unschedulable != true
        && (node.Status?.Conditions is not { } conditions || conditions.All(c => c.Type != "Ready" || c.Status == "True"));

    /// <summary>
    /// The pod's effective request: the larger of its app containers' sum and each init container,
    /// plus the runtime's overhead; pod-level resources, when set, are the request.
    /// </summary>
    private static Res Request(V1PodSpec spec)
    {
        if (spec.Resources is { } podLevel && (podLevel.Requests?.Count > 0 || podLevel.Limits?.Count > 0))
        {
            return Amount(podLevel.Requests, podLevel.Limits) + Amount(spec.Overhead, null);
        }
        var apps = (spec.Containers ?? []).Aggregate(Res.Zero, (sum, c) => sum + Amount(c.Resources?.Requests, c.Resources?.Limits));
        var sidecars = Res.Zero;
        var init = Res.Zero;
        foreach (var c in spec.InitContainers ?? [])
        {
            var request = Amount(c.Resources?.Requests, c.Resources?.Limits);
            if (c.RestartPolicy == "Always")
            {
                sidecars += request;
            }
            else
            {
                init = Res.Max(init, sidecars + request);
            }
        }
        return Res.Max(apps + sidecars, init) + Amount(spec.Overhead, null);
    }

    /// <summary>A resource list as Gantry's amounts; an extended resource without a request is requested at its limit, as Kubernetes does.</summary>
    private static Res Amount(IDictionary<string, ResourceQuantity>? requests, IDictionary<string, ResourceQuantity>? limits)
    {
        decimal Get(string name) =>
            requests is not null && requests.TryGetValue(name, out var q) ? q.ToDecimal()
            : name == Gpu && limits is not null && limits.TryGetValue(name, out var l) ? l.ToDecimal()
            : 0m;
        return new Res(
            (long)Math.Ceiling(Get("cpu") * 1000m),
            (long)Math.Ceiling(Get("memory")),
            (long)Math.Ceiling(Get(Gpu)));
    }
}
