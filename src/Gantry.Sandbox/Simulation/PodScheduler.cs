using System.Globalization;
using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Sandbox.Api;
using Gantry.Sandbox.Hosting;
using Gantry.Sandbox.Store;

namespace Gantry.Sandbox.Simulation;

/// <summary>
/// The scheduler and kubelet in one: binds each pending pod to the first node with room for its
/// requests (pods hold their requests until they terminate), starts bound pods, and leaves pods
/// that fit nowhere Pending with a FailedScheduling event worded like kube-scheduler's.
/// </summary>
internal sealed class PodScheduler(ClusterState state)
{
    private readonly Dictionary<string, string> _reported = [];

    public void Step()
    {
        var now = state.Time.GetUtcNow();
        var nodes = state.Store.List("", "nodes", null).Items;
        var (pods, _) = state.Store.List("", "pods", null);
        var free = nodes.ToDictionary(n => n.Name(), PodRequests.Allocatable, StringComparer.Ordinal);
        foreach (var pod in pods.Where(p => !PodStatus.IsTerminal(p) && NodeOf(p) is { } node && free.ContainsKey(node)))
        {
            free[NodeOf(pod)!] -= PodRequests.Of(pod);
        }
        foreach (var pod in pods)
        {
            if (NodeOf(pod) is null)
            {
                TrySchedule(pod, nodes, free, now);
            }
            else if (PodStatus.Phase(pod) == "Pending")
            {
                Start(pod, nodes, now);
            }
        }
    }

    private void TrySchedule(JsonObject pod, List<JsonObject> nodes, Dictionary<string, Resources> free, DateTimeOffset now)
    {
        var request = PodRequests.Of(pod);
        var selector = ObjectMeta.StringMap(pod["spec"]?["nodeSelector"]);
        var reasons = new List<string>();
        foreach (var node in nodes)
        {
            var misses = Misses(node, selector, request, free[node.Name()]);
            if (misses.Count == 0)
            {
                free[node.Name()] -= request;
                Update(pod, p => p["spec"]!["nodeName"] = node.Name());
                _reported.Remove(pod.Uid());
                return;
            }
            reasons.AddRange(misses);
        }
        var detail = string.Join(", ", reasons.GroupBy(r => r).Select(g => $"{g.Count()} {g.Key}").Order(StringComparer.Ordinal));
        var message = $"0/{nodes.Count} nodes are available: {detail}.";
        if (_reported.GetValueOrDefault(pod.Uid()) != message)
        {
            _reported[pod.Uid()] = message;
            MarkUnschedulable(pod, message, now);
        }
    }

    private static List<string> Misses(JsonObject node, IReadOnlyDictionary<string, string> selector, Resources request, Resources free)
    {
        var labels = node.Labels();
        if (selector.Any(s => labels.GetValueOrDefault(s.Key) != s.Value))
        {
            return ["node(s) didn't match Pod's node affinity/selector"];
        }
        var misses = new List<string>();
        if (request.CpuMillis > free.CpuMillis)
        {
            misses.Add("Insufficient cpu");
        }
        if (request.MemoryBytes > free.MemoryBytes)
        {
            misses.Add("Insufficient memory");
        }
        if (request.Gpu > free.Gpu)
        {
            misses.Add($"Insufficient {PodRequests.Gpu}");
        }
        return misses;
    }

    private void MarkUnschedulable(JsonObject pod, string message, DateTimeOffset now)
    {
        Update(pod, p =>
        {
            var status = p["status"] as JsonObject ?? [];
            p["status"] = status;
            status["phase"] = "Pending";
            status["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "PodScheduled",
                ["status"] = "False",
                ["reason"] = "Unschedulable",
                ["message"] = message,
                ["lastProbeTime"] = null,
                ["lastTransitionTime"] = ObjectMeta.Timestamp(now),
            });
        });
        EventRecorder.Record(state, pod, "Warning", "FailedScheduling", message, "default-scheduler");
    }

    private void Start(JsonObject pod, List<JsonObject> nodes, DateTimeOffset now)
    {
        var index = nodes.FindIndex(n => n.Name() == NodeOf(pod));
        var hostIp = $"10.0.0.{index + 10}";
        var podIp = string.Create(CultureInfo.InvariantCulture, $"10.244.{index}.{(Math.Abs(pod.Uid().GetHashCode(StringComparison.Ordinal)) % 250) + 2}");
        state.Logs.Open(pod.Namespace(), pod.Name());
        Update(pod, p => PodStatus.Running(p, now, hostIp, podIp));
        EventRecorder.Record(state, pod, "Normal", "Started", $"Started container {PodStatus.ContainerName(pod)}", "kubelet");
    }

    private static string? NodeOf(JsonObject pod) => ObjectMeta.Text(pod["spec"]?["nodeName"]) is { Length: > 0 } node ? node : null;

    private void Update(JsonObject pod, Action<JsonObject> change)
    {
        try
        {
            state.Store.Update(BuiltInTypes.Pods, ObjectKey.For(BuiltInTypes.Pods, pod.Namespace(), pod.Name()), current =>
            {
                change(current);
                return current;
            });
        }
        catch (ApiException e) when (e.Code == 404)
        {
            // Deleted while being scheduled: nothing to do.
        }
    }
}
