using System.Text.Json.Nodes;
using Gantry.Cli.Commands;
using Gantry.Server.Clusters;
using Gantry.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gantry.Cli.Tests.Commands;

/// <summary>`gantry clusters import|add|label|remove` against a real gateway (no cluster is contacted by these).</summary>
public sealed class ClusterCommandTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly TestGateway _gateway = fixture.Gateway;

    private static string Suffix() => Guid.NewGuid().ToString("N")[..8];

    private static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "gantry-cli-" + Suffix());
        Directory.CreateDirectory(dir);
        return dir;
    }

    [Fact]
    public async Task Import_registers_the_chosen_context_with_labels_and_prints_it_without_the_token()
    {
        var dir = TempDir();
        var name = "imp-" + Suffix();
        await File.WriteAllTextAsync(Path.Combine(dir, "config"), $$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: c
              cluster: {server: "https://10.9.0.1:6443", insecure-skip-tls-verify: true}
            contexts:
            - name: {{name}}
              context: {cluster: c, user: u, namespace: ml}
            - name: skipped-{{name}}
              context: {cluster: c, user: u}
            users:
            - name: u
              user: {token: cli-secret}
            """);
        var cli = new CliRunner(_gateway);

        var (code, output) = await cli.RunAsync("clusters", "import", Path.Combine(dir, "config"), "--context", name, "--label", "team=ml");
        var (listCode, list) = await cli.RunAsync("clusters");

        Assert.Equal(0, code);
        Assert.Contains(name, output);
        Assert.Contains("https://10.9.0.1:6443", output);
        Assert.DoesNotContain("skipped-", output);
        Assert.DoesNotContain("cli-secret", output);
        Assert.Equal(0, listCode);
        Assert.Contains(name, list);
        var connection = await _gateway.Services.GetRequiredService<IClusterConnections>().GetAsync(name, CancellationToken.None);
        Assert.Equal("cli-secret", connection.Token);
        Assert.Equal("ml", connection.Namespace);
    }

    [Fact]
    public async Task Files_a_kubeconfig_names_are_inlined_as_base64()
    {
        var dir = TempDir();
        File.WriteAllText(Path.Combine(dir, "ca.crt"), "CA-PEM");
        File.WriteAllText(Path.Combine(dir, "client.key"), "KEY-PEM");
        var text = """
            apiVersion: v1
            kind: Config
            clusters: [{name: c, cluster: {server: "https://10.9.0.1:6443", certificate-authority: ca.crt}}]
            contexts: [{name: x, context: {cluster: c, user: u}}]
            users: [{name: u, user: {client-certificate-data: Q0VSVA==, client-key: client.key}}]
            """;

        var inlined = await ClustersImportCommand.InlineFilesAsync(text, new FileInfo(Path.Combine(dir, "config")), CancellationToken.None);

        var kubeconfig = k8s.KubernetesYaml.Deserialize<k8s.KubeConfigModels.K8SConfiguration>(inlined);
        Assert.Equal(Convert.ToBase64String("CA-PEM"u8.ToArray()), kubeconfig.Clusters.Single().ClusterEndpoint.CertificateAuthorityData);
        Assert.Null(kubeconfig.Clusters.Single().ClusterEndpoint.CertificateAuthority);
        Assert.Equal(Convert.ToBase64String("KEY-PEM"u8.ToArray()), kubeconfig.Users.Single().UserCredentials.ClientKeyData);
        Assert.Equal("Q0VSVA==", kubeconfig.Users.Single().UserCredentials.ClientCertificateData);
    }

    [Fact]
    public async Task Add_label_and_remove_a_cluster_and_a_bad_label_is_refused()
    {
        var dir = TempDir();
        var name = "add-" + Suffix();
        await File.WriteAllTextAsync(Path.Combine(dir, "token"), "add-secret\n");
        var cli = new CliRunner(_gateway);

        var (addCode, added) = await cli.RunAsync("clusters", "add", name, "--server", "https://10.9.0.2:6443", "--token-file", Path.Combine(dir, "token"),
            "--insecure-skip-tls-verify", "--namespace", "batch", "--label", "gpu=a100", "--label", "zone=b");
        var stored = await _gateway.Services.GetRequiredService<IClusterConnections>().GetAsync(name, CancellationToken.None);
        var (labelCode, labelled) = await cli.RunAsync("clusters", "label", name, "gpu=h100", "zone-");
        var (badCode, bad) = await cli.RunAsync("clusters", "label", name, "nonsense");
        var labels = JsonNode.Parse(await _gateway.Client().GetStringAsync($"api/v1/clusters/{name}"))!["labels"]!.AsObject();
        var (removeCode, removed) = await cli.RunAsync("clusters", "remove", name);
        var (againCode, again) = await cli.RunAsync("clusters", "remove", name);

        Assert.Equal(0, addCode);
        Assert.Contains($"added cluster {name}", added);
        Assert.DoesNotContain("add-secret", added);
        Assert.Equal("add-secret", stored.Token);
        Assert.Equal("batch", stored.Namespace);
        Assert.Equal(0, labelCode);
        Assert.Contains("gpu=h100", labelled);
        Assert.Equal(["gpu=h100"], labels.Select(kv => $"{kv.Key}={kv.Value}"));
        Assert.Equal(1, badCode);
        Assert.Contains("is not a label", bad);
        Assert.Equal(0, removeCode);
        Assert.Contains($"removed cluster {name}", removed);
        Assert.Equal(1, againCode);
        Assert.Contains("404", again);
    }
}
