using System.Net;
using System.Text.Json;
using Gantry.Core.Clusters;
using Gantry.Core.Jobs;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Logging;

namespace Gantry.Backends.Kubernetes;

/// <summary>
/// Puts a job on the cluster: its token Secret first (so the first pod finds it), then its
/// resource under a name derived from its id, so a retried or resumed dispatch finds its earlier
/// attempt (carrying the job's label) and adopts it instead of making a second copy.
/// </summary>
/// <remarks>Logs with the backend's logger: to an operator, a dispatch is the backend's doing.</remarks>
internal sealed partial class ResourceDispatcher(
    IKubernetes client,
    string defaultNamespace,
    KubernetesBackendOptions options,
    IJobUpdateSink sink,
    JobTracker tracker,
    TokenSecrets secrets,
    ILogger logger)
{
    public async Task DispatchAsync(Job job, Workload workload, DispatchContext context, CancellationToken cancellationToken)
    {
        var ns = NamespaceChoice.Choose(job, context, defaultNamespace, options.ClusterName);
        var name = GantryLabels.ResourceName(job.Id);
        var tracked = tracker.Track(job.Id, workload);
        // Created from now on: until the create answers, no list may count it as missing.
        tracked.ExpectedSince = long.MaxValue;
        tracked.ResumedWhileDispatching = false;
        tracked.Location = new ResourceLocation(workload.Kind, ns, name, "");
        try
        {
            await WriteSecretAsync(ns, job.Id, workload, context.JobToken, cancellationToken);
            var (resource, adopted) = await CreateOrAdoptAsync(job, workload, ns, name, context.UiProxyBase, cancellationToken);
            options.CrashPoints.Reach(CrashPoints.AfterCreate);
            tracked.ExpectedSince = tracker.Tick();
            await OwnSecretAsync(ns, job.Id, workload, name, resource, cancellationToken);
            var what = $"{workload.Kind} {ns}/{name} on cluster {options.ClusterName}";
            LogDispatched(job.Id, what, adopted);
            await sink.ReportAsync(new JobUpdate(
                job.Id,
                JobState.Submitted,
                adopted ? $"adopted the existing {what}" : $"created {what}; waiting for {workload.Operator}",
                new ResourceLocation(workload.Kind, ns, name, "").ToJson()), cancellationToken);
        }
        catch (DispatchException)
        {
            if (tracked.ExpectedSince == long.MaxValue)
            {
                tracker.Forget(job.Id);
            }
            throw;
        }
    }

    private async Task WriteSecretAsync(string ns, string jobId, Workload workload, string token, CancellationToken cancellationToken)
    {
        try
        {
            await secrets.WriteAsync(ns, jobId, token, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The Secret is the first thing written in the namespace: a refusal here is the namespace's, not the Secret's.
            if (NamespaceChoice.IsRefusal(ex))
            {
                throw NamespaceChoice.Refused(options.ClusterName, workload, ns, ex);
            }
            throw KubernetesErrors.ForDispatch($"writing the job's token Secret in namespace {ns} on cluster {options.ClusterName} failed", ex, cancellationToken);
        }
    }

    /// <summary>Creates the resource; an AlreadyExists for one carrying this job's label is our earlier attempt, adopted.</summary>
    private async Task<(JsonElement Resource, bool Adopted)> CreateOrAdoptAsync(
        Job job, Workload workload, string ns, string name, string? uiProxyBase, CancellationToken cancellationToken)
    {
        var r = workload.Resource;
        var body = CustomResourceBuilder.Build(job, workload, ns, options.GatewayUrl, uiProxyBase);
        try
        {
            try
            {
                return ((JsonElement)await client.CustomObjects.CreateNamespacedCustomObjectAsync(
                    body, r.Group, r.Version, ns, r.Plural, fieldManager: "gantry", cancellationToken: cancellationToken), false);
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
            {
                var existing = (JsonElement)await client.CustomObjects.GetNamespacedCustomObjectAsync(r.Group, r.Version, ns, r.Plural, name, cancellationToken);
                if (JobStatusReporter.JobIdOf(existing) != job.Id)
                {
                    throw new DispatchException(
                        $"a {workload.Kind} named {ns}/{name} already exists on cluster {options.ClusterName} and is not this job's " +
                        $"(no {GantryLabels.JobId}={job.Id} label); Gantry will not take it over", retryable: false);
                }
                if (existing.GetProperty("metadata").TryGetProperty("deletionTimestamp", out var deleting) && deleting.ValueKind == JsonValueKind.String)
                {
                    // A stale copy from before a failover, on its way out: adopting it would end the job with it.
                    throw new DispatchException(
                        $"an earlier copy of this job, {ns}/{name} on cluster {options.ClusterName}, is still being deleted", retryable: true);
                }
                return (existing, true);
            }
        }
        catch (Exception ex) when (ex is not DispatchException && !cancellationToken.IsCancellationRequested)
        {
            if (!KubernetesErrors.IsTransient(ex, cancellationToken))
            {
                await DeleteSecretQuietlyAsync(ns, job.Id);
            }
            if (NamespaceChoice.IsRefusal(ex))
            {
                throw NamespaceChoice.Refused(options.ClusterName, workload, ns, ex);
            }
            throw KubernetesErrors.ForDispatch($"creating {workload.Kind} {ns}/{name} on cluster {options.ClusterName} failed", ex, cancellationToken);
        }
    }

    /// <summary>Best effort: a Secret left without an owner outlives its job but harms nothing.</summary>
    private async Task OwnSecretAsync(string ns, string jobId, Workload workload, string name, JsonElement resource, CancellationToken cancellationToken)
    {
        try
        {
            var uid = resource.GetProperty("metadata").GetProperty("uid").GetString() ?? "";
            await secrets.OwnAsync(ns, jobId, workload, name, uid, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogSecretOwnerFailed(jobId, KubernetesErrors.Describe(ex));
        }
    }

    private async Task DeleteSecretQuietlyAsync(string ns, string jobId)
    {
        try
        {
            await secrets.DeleteAsync(ns, jobId, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogSecretOwnerFailed(jobId, KubernetesErrors.Describe(ex));
        }
    }
}
