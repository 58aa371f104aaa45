using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Gantry.Sandbox;
using k8s;
using k8s.KubeConfigModels;

namespace Gantry.Testing;

/// <summary>What one sandbox cluster created for one Gantry job: how many custom resources, ever, and which.</summary>
public sealed record SandboxCreation(string Cluster, string JobId, int Count, IReadOnlyList<string> Resources);

/// <summary>
/// Reads the sandbox's creation counts (<c>GET /sandbox/v1/creations</c>, docs/sandbox.md) over
/// HTTPS with each cluster's admin credentials, as a test proving "one copy per job" needs them:
/// from a <c>gantry sandbox</c> kubeconfig (every context) or from an in-process cluster.
/// </summary>
public static class SandboxCreations
{
    /// <summary>Every (cluster, job id) with at least one custom resource ever created, over every context of the kubeconfig.</summary>
    public static async Task<IReadOnlyList<SandboxCreation>> ReadAsync(string kubeconfigFile, string? jobId = null, CancellationToken cancellationToken = default)
    {
        var kubeconfig = KubernetesYaml.Deserialize<K8SConfiguration>(await File.ReadAllTextAsync(kubeconfigFile, cancellationToken));
        var all = new List<SandboxCreation>();
        foreach (var context in kubeconfig.Contexts)
        {
            var cluster = kubeconfig.Clusters.Single(c => c.Name == context.ContextDetails.Cluster).ClusterEndpoint;
            var token = kubeconfig.Users.Single(u => u.Name == context.ContextDetails.User).UserCredentials.Token;
            using var client = Client(new Uri(cluster.Server), cluster.CertificateAuthorityData, token);
            all.AddRange(await ReadAsync(client, jobId, cancellationToken));
        }
        return all;
    }

    /// <summary>How many custom resources were ever created for <paramref name="jobId"/>, summed over every cluster of the kubeconfig.</summary>
    public static async Task<int> CountAsync(string kubeconfigFile, string jobId, CancellationToken cancellationToken = default) =>
        (await ReadAsync(kubeconfigFile, jobId, cancellationToken)).Sum(c => c.Count);

    /// <summary>The creation counts of one in-process cluster, read over HTTP like any other.</summary>
    public static async Task<IReadOnlyList<SandboxCreation>> ReadAsync(SandboxCluster cluster, string? jobId = null, string? token = null, CancellationToken cancellationToken = default)
    {
        using var client = Client(cluster.Server, cluster.CertificateAuthorityData, token ?? cluster.AdminToken);
        return await ReadAsync(client, jobId, cancellationToken);
    }

    private static async Task<IReadOnlyList<SandboxCreation>> ReadAsync(HttpClient client, string? jobId, CancellationToken cancellationToken)
    {
        var path = SandboxCluster.CreationsPath + (jobId is null ? "" : "?jobId=" + Uri.EscapeDataString(jobId));
        using var response = await client.GetAsync(path, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GET {client.BaseAddress}{path.TrimStart('/')} answered {(int)response.StatusCode}: {body}", null, response.StatusCode);
        }
        var answer = JsonNode.Parse(body)!.AsObject();
        var cluster = answer["cluster"]!.GetValue<string>();
        return [.. answer["items"]!.AsArray().Select(item => new SandboxCreation(
            cluster,
            item!["jobId"]!.GetValue<string>(),
            item["count"]!.GetValue<int>(),
            [.. item["resources"]!.AsArray().Select(r => r!.GetValue<string>())]))];
    }

    /// <summary>An HTTPS client trusting only the cluster's own CA, with a bearer token.</summary>
    private static HttpClient Client(Uri server, string certificateAuthorityData, string token)
    {
        var ca = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(Convert.FromBase64String(certificateAuthorityData)));
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return certificate is not null && chain.Build(certificate);
            },
        };
        var client = new HttpClient(handler, disposeHandler: true) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
