using System.Net;
using System.Text.Json.Nodes;
using Gantry.Core.Jobs;
using k8s;
using k8s.Models;

namespace Gantry.Backends.Kubernetes;

/// <summary>
/// A replica's log from its pod: found by the operator's labels, read from the replica's
/// container, followed until the container stops. While following, a pod that does not exist
/// yet or has not started is waited for as long as the job is active; a finished job's missing
/// pod is a <see cref="LogsGoneException"/>.
/// </summary>
internal sealed class PodLogReader(IKubernetes client, TimeProvider time)
{
    private static readonly TimeSpan WaitInterval = TimeSpan.FromMilliseconds(500);

    public async Task CopyAsync(
        Job job, Workload workload, ResourceLocation location, LogRequest request, Func<bool> active, Stream output, CancellationToken cancellationToken)
    {
        var manifest = JsonNode.Parse(job.Manifest) as JsonObject ?? [];
        var replicas = workload.Replicas(manifest);
        var replica = request.Replica ?? (replicas.Count > 0 ? replicas[0] : null);
        if (replica is null || !replicas.Contains(replica, StringComparer.Ordinal))
        {
            throw new UnknownReplicaException(replica ?? "", replicas);
        }
        while (true)
        {
            var pod = await FindPodAsync(workload, location, replica, cancellationToken);
            if (pod is not null)
            {
                try
                {
                    await using var log = await client.CoreV1.ReadNamespacedPodLogAsync(
                        pod.Metadata.Name, location.Namespace, container: workload.ContainerOf(pod), follow: request.Follow,
                        tailLines: request.Tail, cancellationToken: cancellationToken);
                    await CopyFlushingAsync(log, output, cancellationToken);
                    return;
                }
                catch (k8s.Autorest.HttpOperationException ex) when (KubernetesErrors.Code(ex) is HttpStatusCode.BadRequest or HttpStatusCode.NotFound)
                {
                    // Not started yet (ContainerCreating) or just deleted: wait or give up below.
                }
            }
            if (!request.Follow || !active())
            {
                // Nothing to read and nothing coming: a finished job's pods were deleted. Saying so
                // beats an empty answer that looks like a job that printed nothing.
                if (pod is null && job.IsTerminal)
                {
                    throw new LogsGoneException(job, replica);
                }
                return;
            }
            await Task.Delay(WaitInterval, time, cancellationToken);
        }
    }

    private async Task<V1Pod?> FindPodAsync(Workload workload, ResourceLocation location, string replica, CancellationToken cancellationToken)
    {
        var pods = await client.CoreV1.ListNamespacedPodAsync(location.Namespace, labelSelector: workload.PodSelector(location.Name), cancellationToken: cancellationToken);
        return workload.PodOf([.. pods.Items], replica);
    }

    private static async Task CopyFlushingAsync(Stream source, Stream output, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            await output.FlushAsync(cancellationToken);
        }
    }
}
