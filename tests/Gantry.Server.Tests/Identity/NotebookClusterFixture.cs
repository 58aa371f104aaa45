using System.Net.Http.Headers;
using System.Net.Http.Json;
using Gantry.Sandbox;
using Gantry.Server.Tests.Clusters;
using Gantry.Testing;
using k8s;
using k8s.Models;

namespace Gantry.Server.Tests.Identity;

/// <summary>
/// A gateway with one registered sandbox cluster ("home") shared with ann (namespace team-ann) and
/// bob (team-bob), a Kubeflow-style profile namespace owned by dora@example.com, a namespace mapped
/// to carol by setting, and a second cluster ("stranger") Gantry does not know. Each namespace has a
/// notebook service account, default-editor.
/// </summary>
public sealed class NotebookClusterFixture : IAsyncLifetime
{
    public const string Audience = "gantry";

    public TestGateway Gateway { get; private set; } = null!;
    public SandboxCluster Home { get; private set; } = null!;
    public SandboxCluster Stranger { get; private set; } = null!;
    public IKubernetes HomeAdmin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Gateway = await TestGateway.StartAsync(new Dictionary<string, string?>
        {
            ["Gantry:Identity:Kubernetes:Users:mapped-ns"] = "carol",
        });
        Home = await SandboxCluster.StartAsync(new SandboxClusterOptions { Name = "home", DefaultRunDuration = TimeSpan.FromSeconds(600) }, CancellationToken.None);
        Stranger = await SandboxCluster.StartAsync(new SandboxClusterOptions { Name = "stranger" }, CancellationToken.None);
        HomeAdmin = SandboxClustersFixture.AdminClient(Home);
        using var admin = Gateway.Client();
        (await admin.PostAsJsonAsync("api/v1/clusters/import", new { kubeconfig = Home.Kubeconfig() })).EnsureSuccessStatusCode();
        foreach (var user in new[] { "ann", "bob", "carol" })
        {
            (await admin.PostAsJsonAsync("api/v1/users", new { name = user, role = "user" })).EnsureSuccessStatusCode();
        }
        (await admin.PostAsJsonAsync("api/v1/clusters/home/shares", new { user = "ann", @namespace = "team-ann" })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("api/v1/clusters/home/shares", new { user = "bob", @namespace = "team-bob" })).EnsureSuccessStatusCode();
        await NamespaceAsync(HomeAdmin, "kubeflow-dora", new Dictionary<string, string> { ["owner"] = "Dora@Example.com" });
        await NamespaceAsync(HomeAdmin, "mapped-ns");
        await NamespaceAsync(HomeAdmin, "nobodys");
        foreach (var ns in new[] { "team-ann", "team-bob", "kubeflow-dora", "mapped-ns", "nobodys" })
        {
            await HomeAdmin.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new() { Name = "default-editor" } }, ns);
        }
        using var strangerAdmin = SandboxClustersFixture.AdminClient(Stranger);
        await NamespaceAsync(strangerAdmin, "team-ann");
        await strangerAdmin.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new() { Name = "default-editor" } }, "team-ann");
    }

    /// <summary>A projected-style token of the namespace's notebook account, as the kubelet would ask for it.</summary>
    public async Task<string> NotebookTokenAsync(string ns, string audience = Audience, SandboxCluster? cluster = null)
    {
        using var client = cluster is null ? null : SandboxClustersFixture.AdminClient(cluster);
        var review = await (client ?? HomeAdmin).CoreV1.CreateNamespacedServiceAccountTokenAsync(
            new Authenticationv1TokenRequest { Spec = new() { Audiences = [audience], ExpirationSeconds = 3600 } }, "default-editor", ns);
        return review.Status.Token;
    }

    public HttpClient ClientWith(string token)
    {
        var client = Gateway.AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task DisposeAsync()
    {
        HomeAdmin.Dispose();
        await Home.DisposeAsync();
        await Stranger.DisposeAsync();
        await Gateway.DisposeAsync();
    }

    private static Task NamespaceAsync(IKubernetes client, string name, Dictionary<string, string>? annotations = null) =>
        client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new() { Name = name, Annotations = annotations } });
}
