using k8s;
using k8s.Models;

namespace Gantry.Backends.Kubernetes;

/// <summary>
/// Why a job's pods failed, in their own words. The training operator's Failed condition only
/// says how many replicas failed; the failed container's exit code, reason and termination
/// message say why, and that is what the job's owner needs to read first.
/// </summary>
internal sealed class FailureDetails(IKubernetes client)
{
    private const int MaxReplicas = 3;

    /// <summary>"worker-0: exit code 1 (Error): RuntimeError: loss is NaN", or null when no pod says anything.</summary>
    public async Task<string?> DescribeAsync(Workload workload, ResourceLocation location, CancellationToken cancellationToken)
    {
        V1PodList pods;
        try
        {
            pods = await client.CoreV1.ListNamespacedPodAsync(location.Namespace, labelSelector: workload.PodSelector(location.Name), cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The details are a courtesy: the job fails with the operator's message either way.
            return null;
        }
        var failures = pods.Items
            .Select(p => (Replica: workload.ReplicaOf(p) ?? p.Metadata.Name, State: FailedContainer(p)))
            .Where(x => x.State is not null)
            .OrderBy(x => x.Replica, StringComparer.Ordinal)
            .Take(MaxReplicas)
            .Select(x => Describe(x.Replica, x.State!))
            .ToList();
        return failures.Count == 0 ? null : string.Join("; ", failures);
    }

    private static V1ContainerStateTerminated? FailedContainer(V1Pod pod) =>
        (pod.Status?.ContainerStatuses ?? [])
            .Select(c => c.State?.Terminated ?? c.LastState?.Terminated)
            .FirstOrDefault(t => t is { ExitCode: not 0 });

    private static string Describe(string replica, V1ContainerStateTerminated terminated)
    {
        var reason = string.IsNullOrEmpty(terminated.Reason) ? "" : $" ({terminated.Reason})";
        var message = string.IsNullOrWhiteSpace(terminated.Message) ? "" : $": {terminated.Message.Trim()}";
        return $"{replica}: exit code {terminated.ExitCode}{reason}{message}";
    }
}
