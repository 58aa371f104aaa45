using Gantry.Sandbox;
using Gantry.Testing;
using k8s;
using k8s.KubeConfigModels;

namespace Gantry.Cli.Tests.Commands;

/// <summary>A gateway and one simulated cluster for `gantry clusters test` and `gantry clusters share`.</summary>
public sealed class GatewayAndSandboxFixture : IAsyncLifetime
{
    public TestGateway Gateway { get; private set; } = null!;
    public SandboxCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Gateway = await TestGateway.StartAsync();
        Cluster = await SandboxCluster.StartAsync(new SandboxClusterOptions { Name = "cli" }, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Gateway.DisposeAsync();
    }
}

public sealed class ClusterSandboxCommandTests(GatewayAndSandboxFixture fixture) : IClassFixture<GatewayAndSandboxFixture>
{
    private async Task<string> ImportAsync(CliRunner cli)
    {
        var name = "cli-" + Guid.NewGuid().ToString("N")[..6];
        var dir = Directory.CreateTempSubdirectory("gantry-cli-").FullName;
        var file = Path.Combine(dir, "kubeconfig");
        await File.WriteAllTextAsync(file, fixture.Cluster.Kubeconfig());
        var (code, output) = await cli.RunAsync("clusters", "import", file, "--rename", $"{fixture.Cluster.Name}={name}");
        Assert.True(code == 0, output);
        return name;
    }

    [Fact]
    public async Task Test_prints_a_table_of_checks_and_exits_zero_when_all_pass()
    {
        var cli = new CliRunner(fixture.Gateway);
        var name = await ImportAsync(cli);

        var (code, output) = await cli.RunAsync("clusters", "test", name);

        Assert.Equal(0, code);
        Assert.Contains("CHECK", output);
        Assert.Contains("create sparkapplications.sparkoperator.k8s.io in default", output);
        Assert.Contains("operator: PyTorchJob", output);
        Assert.DoesNotContain("missing", output);
        Assert.Contains($"{name}: reachable, v1.", output);
        Assert.Contains("every check passed", output);
    }

    [Fact]
    public async Task Share_writes_a_private_kubeconfig_that_reaches_the_users_namespace()
    {
        var cli = new CliRunner(fixture.Gateway);
        var name = await ImportAsync(cli);
        var user = "sh" + Guid.NewGuid().ToString("N")[..6];
        Assert.Equal(0, (await cli.RunAsync("users", "create", user)).ExitCode);
        var file = Path.Combine(Directory.CreateTempSubdirectory("gantry-cli-").FullName, "user.kubeconfig");

        var (code, output) = await cli.RunAsync("clusters", "share", name, "--user", user, "--namespace", "team-" + user, "-o", file);
        var (stdoutCode, stdout) = await cli.RunAsync("clusters", "share", name, "--user", user);

        Assert.Equal(0, code);
        Assert.Contains($"namespace team-{user}", output);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        var kubeconfig = KubernetesYaml.Deserialize<K8SConfiguration>(await File.ReadAllTextAsync(file));
        Assert.Equal("team-" + user, kubeconfig.Contexts.Single().ContextDetails.Namespace);
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigObject(kubeconfig));
        Assert.Empty((await client.CoreV1.ListNamespacedPodAsync("team-" + user)).Items);
        Assert.Equal(0, stdoutCode);
        Assert.StartsWith("apiVersion: v1", stdout.TrimStart());
        Assert.Equal("team-" + user, KubernetesYaml.Deserialize<K8SConfiguration>(stdout).Contexts.Single().ContextDetails.Namespace);
    }

    [Fact]
    public async Task Describe_shows_the_namespace_and_name_of_the_jobs_custom_resource()
    {
        var cli = new CliRunner(fixture.Gateway);
        await ImportAsync(cli);
        await fixture.Gateway.SetCordonAsync(true);
        var file = Path.Combine(Directory.CreateTempSubdirectory("gantry-cli-").FullName, "pi.yaml");
        await File.WriteAllTextAsync(file, """
            apiVersion: sparkoperator.k8s.io/v1beta2
            kind: SparkApplication
            metadata: {name: cli-pi, namespace: kubeflow}
            spec:
              type: Scala
              mode: cluster
              image: spark:3.5.3
              mainClass: org.apache.spark.examples.SparkPi
              mainApplicationFile: local:///opt/spark/examples/jars/spark-examples.jar
              sparkVersion: 3.5.3
              driver: {cores: 1, memory: 512m}
              executor: {instances: 1, cores: 1, memory: 512m}
            """);
        var (submitCode, submitted) = await cli.RunAsync("submit", "-f", file);
        Assert.True(submitCode == 0, submitted);
        var id = submitted.Split(' ', '\n').First(w => w.Length == 12 && Gantry.Core.Jobs.JobId.IsWellFormed(w));
        using (var admin = fixture.Gateway.Client())
        {
            await admin.WaitForStateAsync(id, TimeSpan.FromSeconds(90), "Submitted", "Running", "Succeeded");
        }

        var (code, output) = await cli.RunAsync("describe", id);

        Assert.Equal(0, code);
        Assert.Contains($"SparkApplication kubeflow/g-{id} (sparkoperator.k8s.io/v1beta2)", output);
    }
}
