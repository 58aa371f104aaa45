using Gantry.Core.Jobs;

namespace Gantry.Backends.Kubernetes;

/// <summary>
/// The custom resource a Kubernetes job is, as recorded when it was created: what a user needs to
/// find it with kubectl (<c>kubectl -n {Namespace} get {Kind} {Name}</c>) on the job's cluster.
/// </summary>
public sealed record CustomResourceReference(string Cluster, string Namespace, string Name, string Kind, string ApiVersion)
{
    /// <summary>The job's resource, or null while it has none (queued, dispatching) or when it is not a Kubernetes job.</summary>
    public static CustomResourceReference? Of(Job job) =>
        job.Cluster is { } cluster
        && ResourceLocation.FromJson(job.BackendState) is { } location
        && Workloads.Find(location.Kind) is { } workload
            ? new CustomResourceReference(cluster, location.Namespace, location.Name, workload.Kind, workload.Resource.ApiVersion)
            : null;
}
