using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gantry.Backends.Kubernetes;
using Gantry.Core.Clusters;
using Gantry.Sandbox;
using Gantry.Testing;
using k8s;
using k8s.KubeConfigModels;
using k8s.Models;

namespace Gantry.Cli.Tests.Deploy;

/// <summary>
/// In-cluster mode against a sandbox cluster (a real HTTPS API server with RBAC): a gateway that
/// believes it runs in a pod, from the kubelet's files, registers the cluster, signs in with the
/// service account's token as it rotates, and runs a job there with exactly the ClusterRole the
/// manifests give it.
/// </summary>
public sealed class InClusterTests
{
    [Fact]
    public async Task The_token_file_is_read_again_when_the_kubelet_rotates_it()
    {
        await using var cluster = await SandboxCluster.StartAsync(new SandboxClusterOptions { Name = "pod-home" }, CancellationToken.None);
        using var admin = AdminClient(cluster);
        await ApplyManifestRbacAsync(admin);
        var gantryToken = await PodFiles.IssueTokenAsync(admin, "gantry", "gantry");
        var nobodyToken = await PodFiles.IssueTokenAsync(admin, "gantry", "nobody");
        using var pod = new PodFiles(cluster, "gantry");
        pod.Rotate(gantryToken);
        var connection = new ClusterConnection { Server = cluster.Server.ToString(), Namespace = "gantry", TokenFile = pod.TokenFile, CertificateAuthorityFile = pod.CertificateAuthorityFile };
        using var client = new Kubernetes(KubernetesConfigurationFactory.Create(connection));

        Assert.True(await MayListNodesAsync(client), "the gantry account holds the manifests' ClusterRole");
        // A rotation to another account's token: the very next call is that account's.
        pod.Rotate(nobodyToken);
        Assert.False(await MayListNodesAsync(client), "the call after the rotation still used the old token");
        pod.Rotate(gantryToken);
        var provider = new TokenFileProvider(pod.TokenFile);
        Assert.Equal(gantryToken, (await provider.GetAuthenticationHeaderAsync(CancellationToken.None)).Parameter);
        Assert.True(await MayListNodesAsync(client), "after rotating back");
        // Back-to-back rotations between tokens of one length, within the file system's timestamp
        // granularity: the new directory behind ..data is what tells them apart.
        for (var i = 0; i < 4; i++)
        {
            pod.Rotate(nobodyToken);
            Assert.False(await MayListNodesAsync(client), $"rotation {i} to nobody");
            pod.Rotate(gantryToken);
            Assert.True(await MayListNodesAsync(client), $"rotation {i} back to gantry");
        }
        // A token the API server does not know is refused: the file's content is what is sent.
        pod.Rotate("not-a-token");
        var refused = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => MayListNodesAsync(client));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Response.StatusCode);
    }

    [Fact]
    public async Task A_gateway_in_a_pod_registers_its_cluster_once_and_runs_a_job_there_with_the_manifests_rights()
    {
        await using var cluster = await SandboxCluster.StartAsync(new SandboxClusterOptions { Name = "pod-home" }, CancellationToken.None);
        using var admin = AdminClient(cluster);
        await ApplyManifestRbacAsync(admin);
        using var pod = new PodFiles(cluster, "gantry");
        pod.Rotate(await PodFiles.IssueTokenAsync(admin, "gantry", "gantry"));
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>
        {
            ["Gantry:InCluster:Enabled"] = "true",
            ["Gantry:InCluster:ClusterName"] = "home",
            ["Gantry:InCluster:Server"] = cluster.Server.ToString(),
            ["Gantry:InCluster:TokenFile"] = pod.TokenFile,
            ["Gantry:InCluster:CertificateAuthorityFile"] = pod.CertificateAuthorityFile,
            ["Gantry:InCluster:NamespaceFile"] = pod.NamespaceFile,
        });
        using var api = gateway.Client();

        var clusters = await ClustersAsync(api);
        Assert.Equal("true", clusters["home"]!["labels"]!["gantry.io/in-cluster"]!.GetValue<string>());
        // Local jobs would run inside the gateway's pod: cordoned at the first registration.
        Assert.True(clusters["local"]!["cordoned"]!.GetValue<bool>());
        var home = await api.GetFromJsonAsync<JsonObject>("api/v1/clusters/home");
        Assert.Equal("tokenFile", home!["connection"]?["authentication"]?.GetValue<string>());

        // The gateway's health probe of the cluster uses the service account too.
        string? message = null;
        try
        {
            await Polling.UntilAsync(async () =>
            {
                var home = (await ClustersAsync(api))["home"]!;
                message = home["message"]?.ToString();
                return home["healthy"]!.GetValue<bool>();
            }, "cluster home healthy");
        }
        catch (TimeoutException)
        {
            Assert.Fail($"cluster home never became healthy: {message}");
        }
        var job = await api.SubmitAsync(new JsonObject { ["manifest"] = TestJobs.SparkApplication("in-cluster-pi") });
        var done = await api.WaitForEndAsync(job.Id());
        Assert.Equal(("Succeeded", "home"), (done.State(), done["cluster"]!.GetValue<string>()));
        // In the pod's namespace (the namespace file), created with the service account's token.
        var resources = await admin.CustomObjects.ListNamespacedCustomObjectAsync<JsonObject>("sparkoperator.k8s.io", "v1beta2", "gantry", "sparkapplications");
        Assert.Contains(resources["items"]!.AsArray(), r => r!["metadata"]!["labels"]!["gantry.io/job-id"]!.GetValue<string>() == job.Id());

        // Every start registers again, idempotently: an admin's uncordon of local stands.
        await gateway.SetCordonAsync(false);
        await gateway.RestartAsync();
        using var again = gateway.Client();
        clusters = await ClustersAsync(again);
        Assert.False(clusters["local"]!["cordoned"]!.GetValue<bool>());
        Assert.Equal(2, clusters.Count);
    }

    [Fact]
    public async Task A_cluster_an_admin_registered_under_the_name_is_not_taken_over()
    {
        await using var cluster = await SandboxCluster.StartAsync(new SandboxClusterOptions { Name = "pod-home" }, CancellationToken.None);
        using var pod = new PodFiles(cluster, "gantry");
        pod.Rotate("unused");
        await using var gateway = await TestGateway.StartAsync();
        using (var api = gateway.Client())
        {
            await api.RegisterAsync(cluster, name: "home");
        }
        await gateway.StopAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Gantry:InCluster:Enabled"] = "true",
            ["Gantry:InCluster:ClusterName"] = "home",
            ["Gantry:InCluster:Server"] = cluster.Server.ToString(),
            ["Gantry:InCluster:TokenFile"] = pod.TokenFile,
            ["Gantry:InCluster:CertificateAuthorityFile"] = pod.CertificateAuthorityFile,
            ["Gantry:InCluster:NamespaceFile"] = pod.NamespaceFile,
        };
        var refused = await Assert.ThrowsAnyAsync<InvalidOperationException>(async () => await TestGateway.StartAsync(settings, gateway.DataDir));
        Assert.Contains("Gantry:InCluster:ClusterName 'home' names a cluster that was registered otherwise", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enabled_outside_a_pod_the_gateway_refuses_to_start_naming_each_setting()
    {
        Assert.Null(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST"));
        var missing = Path.Combine(Path.GetTempPath(), "gantry-no-pod-" + Guid.NewGuid().ToString("N"));
        var refused = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => TestGateway.StartAsync(new Dictionary<string, string?>
        {
            ["Gantry:InCluster:Enabled"] = "true",
            ["Gantry:InCluster:ClusterName"] = "Not A Name",
            ["Gantry:InCluster:TokenFile"] = Path.Combine(missing, "token"),
            ["Gantry:InCluster:CertificateAuthorityFile"] = Path.Combine(missing, "ca.crt"),
            ["Gantry:InCluster:NamespaceFile"] = Path.Combine(missing, "namespace"),
        }));
        foreach (var key in new[] { "ClusterName", "Server", "TokenFile", "CertificateAuthorityFile", "NamespaceFile" })
        {
            Assert.Contains($"Gantry:InCluster:{key} ", refused.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>The base ClusterRole and its binding exactly as <c>kubectl apply -k deploy/kustomize/overlays/ha</c> would create them.</summary>
    private static async Task ApplyManifestRbacAsync(IKubernetes admin)
    {
        var manifests = await RenderedManifests.LoadAsync("ha");
        var role = manifests.Named<V1ClusterRole>("gantry");
        var binding = manifests.Named<V1ClusterRoleBinding>("gantry");
        await admin.RbacAuthorizationV1.CreateClusterRoleAsync(role);
        await admin.RbacAuthorizationV1.CreateClusterRoleBindingAsync(binding);
    }

    private static async Task<bool> MayListNodesAsync(IKubernetes client)
    {
        var review = await client.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(new V1SelfSubjectAccessReview
        {
            ApiVersion = "authorization.k8s.io/v1",
            Kind = "SelfSubjectAccessReview",
            Spec = new V1SelfSubjectAccessReviewSpec { ResourceAttributes = new V1ResourceAttributes { Verb = "list", Resource = "nodes" } },
        });
        return review.Status.Allowed;
    }

    private static async Task<Dictionary<string, JsonNode?>> ClustersAsync(HttpClient api)
    {
        var list = await api.GetFromJsonAsync<JsonNode>("api/v1/clusters");
        var items = list is JsonArray array ? array : list!["items"]!.AsArray();
        return items.ToDictionary(c => c!["name"]!.GetValue<string>(), c => c);
    }

    private static Kubernetes AdminClient(SandboxCluster cluster) =>
        new(KubernetesClientConfiguration.BuildConfigFromConfigObject(KubernetesYaml.Deserialize<K8SConfiguration>(cluster.Kubeconfig())));
}
