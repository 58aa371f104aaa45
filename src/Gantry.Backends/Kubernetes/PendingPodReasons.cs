using k8s;
using k8s.Models;

namespace Gantry.Backends.Kubernetes;

/// <summary>
/// Why a job's pods wait, as the cluster words it: the scheduler's PodScheduled=False condition
/// message ("0/3 nodes are available: 3 Insufficient cpu."), or else the latest FailedScheduling
/// event of the pod. That, not Gantry's own arithmetic, is what explains a placed job that does not
/// start: another tenant's pods, a taint, a node selector.
/// </summary>
internal sealed class PendingPodReasons(IKubernetes client)
{
    private const int MaxPods = 3;

    public async Task<IReadOnlyList<string>> DescribeAsync(Workload workload, ResourceLocation location, CancellationToken cancellationToken)
    {
        try
        {
            var pods = await client.CoreV1.ListNamespacedPodAsync(
                location.Namespace, labelSelector: workload.PodSelector(location.Name), fieldSelector: "status.phase=Pending", cancellationToken: cancellationToken);
            var reasons = new List<string>();
            foreach (var pod in pods.Items.OrderBy(p => p.Metadata.Name, StringComparer.Ordinal).Take(MaxPods))
            {
                var replica = workload.ReplicaOf(pod) ?? pod.Metadata.Name;
                var said = Unschedulable(pod) ?? await LatestFailedSchedulingAsync(pod, cancellationToken);
                reasons.Add(said is null ? $"{replica}: pending, not yet looked at by the cluster's scheduler" : $"{replica}: {said}");
            }
            if (pods.Items.Count > MaxPods)
            {
                reasons.Add($"and {pods.Items.Count - MaxPods} more pending pod(s)");
            }
            return reasons;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A courtesy for the explanation: a cluster that does not answer says nothing.
            return [];
        }
    }

    private static string? Unschedulable(V1Pod pod) =>
        pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled" && c.Status == "False") is { Message: { Length: > 0 } message }
            ? message
            : null;

    private async Task<string?> LatestFailedSchedulingAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        var events = await client.CoreV1.ListNamespacedEventAsync(
            pod.Metadata.NamespaceProperty,
            fieldSelector: $"involvedObject.name={pod.Metadata.Name},reason=FailedScheduling",
            cancellationToken: cancellationToken);
        return events.Items
            .OrderByDescending(e => e.LastTimestamp ?? e.EventTime ?? e.Metadata.CreationTimestamp)
            .Select(e => e.Message)
            .FirstOrDefault(m => !string.IsNullOrWhiteSpace(m));
    }
}
