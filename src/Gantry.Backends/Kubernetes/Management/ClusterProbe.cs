using Gantry.Core.Kinds;
using k8s;
using k8s.Models;

namespace Gantry.Backends.Kubernetes.Management;

/// <summary>
/// Tests a cluster as Gantry will use it: is the API server there and which version, which
/// operators' resources it serves (discovery, which every authenticated caller may read), and
/// whether Gantry's identity holds each right it needs, asked with SelfSubjectAccessReviews.
/// </summary>
public static class ClusterProbe
{
    private static readonly string[] JobVerbs = ["create", "get", "list", "watch", "delete"];

    public static async Task<ClusterProbeResult> ProbeAsync(
        IKubernetes client, string @namespace, IReadOnlyList<(string Kind, KubernetesResource Resource)> kinds, CancellationToken cancellationToken)
    {
        VersionInfo version;
        try
        {
            version = await KubernetesApi.CallAsync("GET /version", () => client.Version.GetCodeAsync(cancellationToken), cancellationToken);
        }
        catch (ClusterApiException ex)
        {
            return new ClusterProbeResult(false, null, [], [new ClusterCheck("reachable", false, ex.Message)]);
        }
        var checks = new List<ClusterCheck> { new("reachable", true, $"API server {version.GitVersion}") };
        var installed = new List<string>();
        foreach (var (kind, resource) in kinds)
        {
            var (served, message) = await ServedAsync(client, resource, cancellationToken);
            checks.Add(new ClusterCheck($"operator: {kind} ({resource.Plural}.{resource.Group}/{resource.Version})", served, message));
            if (served)
            {
                installed.Add(kind);
            }
        }
        var questions = kinds
            .SelectMany(k => JobVerbs.Select(verb => new V1ResourceAttributes { Verb = verb, Group = k.Resource.Group, Resource = k.Resource.Plural, NamespaceProperty = @namespace }))
            .Append(new V1ResourceAttributes { Verb = "get", Group = "", Resource = "pods", Subresource = "log", NamespaceProperty = @namespace })
            .Append(new V1ResourceAttributes { Verb = "list", Group = "", Resource = "pods", NamespaceProperty = @namespace })
            .Append(new V1ResourceAttributes { Verb = "watch", Group = "", Resource = "pods", NamespaceProperty = @namespace })
            .Append(new V1ResourceAttributes { Verb = "list", Group = "", Resource = "nodes" })
            .ToList();
        // One review per right; they are independent, so ask them all at once.
        checks.AddRange(await Task.WhenAll(questions.Select(q => AskAsync(client, q, cancellationToken))));
        return new ClusterProbeResult(true, version.GitVersion, installed, checks);
    }

    private static async Task<(bool Served, string Message)> ServedAsync(IKubernetes client, KubernetesResource resource, CancellationToken cancellationToken)
    {
        try
        {
            var body = await KubernetesApi.GetRawAsync(client, $"apis/{resource.Group}/{resource.Version}", cancellationToken);
            var list = body is null ? null : KubernetesJson.Deserialize<V1APIResourceList>(body);
            return list?.Resources?.Any(r => r.Name == resource.Plural) == true
                ? (true, "installed")
                : (false, $"the API server does not serve {resource.Plural}.{resource.Group}/{resource.Version}: install the operator and its CRD");
        }
        catch (Exception ex) when (ex is ClusterApiException or HttpRequestException or System.Text.Json.JsonException)
        {
            return (false, $"discovery failed: {ex.Message}");
        }
    }

    private static async Task<ClusterCheck> AskAsync(IKubernetes client, V1ResourceAttributes question, CancellationToken cancellationToken)
    {
        var name = Describe(question);
        try
        {
            var review = await KubernetesApi.CallAsync($"SelfSubjectAccessReview for {name}", () => client.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(
                new V1SelfSubjectAccessReview
                {
                    ApiVersion = "authorization.k8s.io/v1",
                    Kind = "SelfSubjectAccessReview",
                    Spec = new V1SelfSubjectAccessReviewSpec { ResourceAttributes = question },
                }, cancellationToken: cancellationToken), cancellationToken);
            var status = review.Status;
            if (status?.Allowed == true)
            {
                return new ClusterCheck(name, true, string.IsNullOrEmpty(status.Reason) ? "allowed" : status.Reason);
            }
            var why = status?.EvaluationError is { Length: > 0 } error ? error : status?.Reason;
            return new ClusterCheck(name, false, string.IsNullOrEmpty(why) ? "missing: not allowed" : $"missing: {why}");
        }
        catch (ClusterApiException ex)
        {
            return new ClusterCheck(name, false, ex.Message);
        }
    }

    private static string Describe(V1ResourceAttributes q)
    {
        var resource = q.Resource + (string.IsNullOrEmpty(q.Subresource) ? "" : "/" + q.Subresource) + (string.IsNullOrEmpty(q.Group) ? "" : "." + q.Group);
        return q.NamespaceProperty is null ? $"{q.Verb} {resource} (cluster-wide)" : $"{q.Verb} {resource} in {q.NamespaceProperty}";
    }
}
