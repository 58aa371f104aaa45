using System.Net;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Gantry.Backends.Kubernetes;

/// <summary>
/// The Secret that carries a job's token into its pods. Created before the custom resource (so
/// the first pod finds it), refreshed on a re-dispatch (each dispatch issues a new token), then
/// owned by the custom resource so the garbage collector removes it with the job.
/// </summary>
internal sealed class TokenSecrets(IKubernetes client)
{
    public async Task WriteAsync(string ns, string jobId, string token, CancellationToken cancellationToken)
    {
        var name = GantryLabels.TokenSecretName(jobId);
        var data = new Dictionary<string, byte[]> { [CustomResourceBuilder.TokenKey] = Encoding.UTF8.GetBytes(token) };
        var secret = new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = new Dictionary<string, string> { [GantryLabels.JobId] = jobId } },
            Type = "Opaque",
            Data = data,
        };
        try
        {
            await client.CoreV1.CreateNamespacedSecretAsync(secret, ns, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
        {
            var patch = new V1Patch(KubernetesJson.Serialize(new { data }), V1Patch.PatchType.MergePatch);
            await client.CoreV1.PatchNamespacedSecretAsync(patch, name, ns, cancellationToken: cancellationToken);
        }
    }

    public async Task OwnAsync(string ns, string jobId, Workload workload, string resourceName, string uid, CancellationToken cancellationToken)
    {
        var owner = new V1OwnerReference { ApiVersion = workload.Resource.ApiVersion, Kind = workload.Kind, Name = resourceName, Uid = uid };
        var patch = new V1Patch(KubernetesJson.Serialize(new { metadata = new { ownerReferences = new[] { owner } } }), V1Patch.PatchType.MergePatch);
        await client.CoreV1.PatchNamespacedSecretAsync(patch, GantryLabels.TokenSecretName(jobId), ns, cancellationToken: cancellationToken);
    }

    public async Task DeleteAsync(string ns, string jobId, CancellationToken cancellationToken)
    {
        try
        {
            await client.CoreV1.DeleteNamespacedSecretAsync(GantryLabels.TokenSecretName(jobId), ns, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }
}
