using System.Net;
using System.Text.Json;
using Gantry.Backends.Kubernetes;
using Gantry.Core.Jobs;
using k8s;
using k8s.Autorest;

namespace Gantry.Kubernetes.Tests.Support;

/// <summary>Reads what is really in the cluster, through the admin client.</summary>
internal static class ClusterLookups
{
    public static (string Group, string Version, string Plural) ResourceOf(string kind) => kind switch
    {
        "SparkApplication" => ("sparkoperator.k8s.io", "v1beta2", "sparkapplications"),
        "PyTorchJob" => ("kubeflow.org", "v1", "pytorchjobs"),
        "JAXJob" => ("kubeflow.org", "v1", "jaxjobs"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The job's custom resource in namespace default, or null when there is none.</summary>
    public static async Task<JsonElement?> ResourceAsync(this IKubernetes admin, Job job)
    {
        var (group, version, plural) = ResourceOf(job.Kind);
        try
        {
            return (JsonElement)await admin.CustomObjects.GetNamespacedCustomObjectAsync(group, version, "default", plural, GantryLabels.ResourceName(job.Id));
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>How many resources of the job's kind carry its job-id label, in every namespace.</summary>
    public static async Task<int> CopiesAsync(this IKubernetes admin, Job job)
    {
        var (group, version, plural) = ResourceOf(job.Kind);
        var list = (JsonElement)await admin.CustomObjects.ListCustomObjectForAllNamespacesAsync(
            group, version, plural, labelSelector: $"{GantryLabels.JobId}={job.Id}");
        return list.GetProperty("items").GetArrayLength();
    }

    public static async Task DeleteResourceAsync(this IKubernetes admin, Job job)
    {
        var (group, version, plural) = ResourceOf(job.Kind);
        await admin.CustomObjects.DeleteNamespacedCustomObjectAsync(group, version, "default", plural, GantryLabels.ResourceName(job.Id));
    }

    public static async Task<int> PodCountAsync(this IKubernetes admin, string selector) =>
        (await admin.CoreV1.ListNamespacedPodAsync("default", labelSelector: selector)).Items.Count;

    /// <summary>Polls <paramref name="condition"/> until it holds; fails with <paramref name="what"/> if it does not in time.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"Timed out waiting for: {what}");
    }
}
