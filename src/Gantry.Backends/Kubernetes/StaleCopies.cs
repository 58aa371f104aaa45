using System.Text.Json;
using Gantry.Core.Jobs;
using k8s;
using Microsoft.Extensions.Logging;

namespace Gantry.Backends.Kubernetes;

/// <summary>
/// Deletes the copies of jobs that have left this cluster: abandoned when the cluster was lost
/// (failed over, retried elsewhere), yet still here when it answers again. Every full list is
/// swept: a labelled resource that no tracked job owns, has not ended, and belongs (the store
/// says) to a job now queued or placed elsewhere, is deleted before its operator can run it. The
/// store, not memory, decides, so this holds across a gateway restart during the outage.
/// </summary>
internal sealed partial class StaleCopies(
    IKubernetes client,
    JobTracker tracker,
    IJobDirectory directory,
    string cluster,
    ILogger logger)
{
    public async Task SweepAsync(Workload workload, IReadOnlyList<JsonElement> items, CancellationToken cancellationToken)
    {
        foreach (var item in items)
        {
            if (!workload.IsDispatched(item) || JobStatusReporter.JobIdOf(item) is not { } id || tracker.Find(id) is not null)
            {
                continue;
            }
            // An ended copy runs nothing and keeps its pods' logs: leave it to the operator's TTL.
            if (JobStateMachine.IsTerminal(workload.Observe(item, client.BaseUri).State))
            {
                continue;
            }
            try
            {
                if (!await directory.HasLeftAsync(id, cluster, cancellationToken))
                {
                    continue;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogLookupFailed(id, ex.Message);
                continue;
            }
            await DeleteAsync(id, workload, JobStatusReporter.Locate(workload, item, null), cancellationToken);
        }
    }

    /// <summary>Deletes the copy (and, through its owner references, its pods and token Secret); a failure waits for the next sweep.</summary>
    public async Task<bool> DeleteAsync(string jobId, Workload workload, ResourceLocation location, CancellationToken cancellationToken)
    {
        var r = workload.Resource;
        try
        {
            await client.CustomObjects.DeleteNamespacedCustomObjectAsync(
                r.Group, r.Version, location.Namespace, r.Plural, location.Name, propagationPolicy: "Foreground", cancellationToken: cancellationToken);
            LogDeleted(jobId, workload.Kind, location.Namespace, location.Name, cluster);
            return true;
        }
        catch (Exception ex) when (KubernetesErrors.IsNotFound(ex))
        {
            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogDeleteFailed(jobId, cluster, KubernetesErrors.Describe(ex));
            return false;
        }
    }

    [LoggerMessage(2170, LogLevel.Warning, "Job {JobId}: deleted its stale {Kind} {Namespace}/{Name} on cluster {Cluster}; the job has moved on")]
    private partial void LogDeleted(string jobId, string kind, string @namespace, string name, string cluster);

    [LoggerMessage(2171, LogLevel.Warning, "Job {JobId}: its stale copy on cluster {Cluster} could not be deleted yet; the next list tries again: {Problem}")]
    private partial void LogDeleteFailed(string jobId, string cluster, string problem);

    [LoggerMessage(2172, LogLevel.Warning, "Job {JobId}: could not ask the store whether its copy here is stale: {Problem}")]
    private partial void LogLookupFailed(string jobId, string problem);
}
