using System.Net;
using System.Text.Json.Nodes;
using Gantry.Core.Jobs;

namespace Gantry.Backends.Kubernetes;

/// <summary>
/// Which namespace a job's custom resource goes to, and how a refusal there reads. The manifest's
/// own <c>metadata.namespace</c> wins; without one, the owner's share namespace on a shared cluster,
/// else the cluster's. A job never lands somewhere other than where its manifest says: when the
/// cluster may not put it there, the dispatch fails with the reason instead.
/// </summary>
internal static class NamespaceChoice
{
    /// <summary>The namespace for <paramref name="job"/>; throws a non-retryable DispatchException when a share confines its owner elsewhere.</summary>
    public static string Choose(Job job, DispatchContext context, string clusterDefault, string cluster)
    {
        var asked = Asked(job.Manifest);
        if (asked is null)
        {
            return context.Namespace ?? clusterDefault;
        }
        if (context.Namespace is { } shared && shared != asked)
        {
            // A share confines its user to one namespace: the gateway's own (broader) rights must not widen it.
            throw new DispatchException(
                $"cluster {cluster} is shared with {job.Owner} in namespace {shared}, so their jobs there may not go to namespace {asked} " +
                $"(manifest.metadata.namespace); remove it or set it to {shared}", retryable: false);
        }
        return asked;
    }

    /// <summary>The manifest's <c>metadata.namespace</c>, or null when it has none.</summary>
    public static string? Asked(string manifest) =>
        JsonNode.Parse(manifest) is JsonObject { } root && root["metadata"] is JsonObject metadata
            && metadata["namespace"] is JsonValue value && value.TryGetValue<string>(out var ns) && ns.Length > 0
            ? ns
            : null;

    /// <summary>
    /// Whether the API server refused to put anything in the namespace: forbidden (RBAC), or the
    /// namespace does not exist. Neither gets better by retrying, and both name the namespace.
    /// </summary>
    public static bool IsRefusal(Exception exception) =>
        KubernetesErrors.Code(exception) switch
        {
            HttpStatusCode.Forbidden => true,
            HttpStatusCode.NotFound => KubernetesErrors.Status(exception)?.Details?.Kind == "namespaces",
            _ => false,
        };

    public static DispatchException Refused(string cluster, Workload workload, string ns, Exception exception) =>
        new($"cluster {cluster} may not create {workload.Resource.Plural} in namespace {ns}: {KubernetesErrors.Describe(exception)}", retryable: false, exception);
}
