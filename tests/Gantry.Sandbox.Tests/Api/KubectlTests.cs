using Gantry.Sandbox.Tests.Support;
using k8s;

namespace Gantry.Sandbox.Tests.Api;

/// <summary>Debian's kubectl against a two-cluster fleet through the fleet's kubeconfig: discovery, get, logs, apply, delete.</summary>
public sealed class KubectlTests : IAsyncLifetime
{
    private IReadOnlyList<SandboxCluster> _fleet = [];
    private string _kubeconfig = "";
    private Kubectl _kubectl = null!;

    public async Task InitializeAsync()
    {
        _fleet = await SandboxFleet.StartAsync(2, SharedFiles.Crds, TimeSpan.FromSeconds(1), null, CancellationToken.None);
        _kubeconfig = System.IO.Path.GetTempFileName();
        await File.WriteAllTextAsync(_kubeconfig, SandboxFleet.Kubeconfig(_fleet));
        _kubectl = new Kubectl(_kubeconfig);
    }

    public async Task DisposeAsync()
    {
        foreach (var cluster in _fleet)
        {
            await cluster.DisposeAsync();
        }
        File.Delete(_kubeconfig);
    }

    private async Task<string> OkAsync(params string[] args)
    {
        var (code, output, error) = await _kubectl.RunAsync(args);
        Assert.True(code == 0, $"kubectl {string.Join(' ', args)} exited {code}: {error}");
        return output;
    }

    [Fact]
    public async Task Kubectl_applies_an_example_gets_it_reads_the_driver_log_and_deletes_it()
    {
        var manifest = Path.Combine(SharedFiles.Examples("spark-operator"), "spark-pi.yaml");

        var applied = await OkAsync("--context", "sandbox-west", "apply", "-f", manifest);
        var completed = await Eventually.Until(() => OkAsync("--context", "sandbox-west", "get", "sparkapplications", "-A"),
            o => o.Contains("COMPLETED", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "COMPLETED in kubectl get");
        var pods = await OkAsync("--context", "sandbox-west", "get", "pods", "-A");
        var log = await OkAsync("--context", "sandbox-west", "logs", "spark-pi-driver", "-n", "default");
        var deleted = await OkAsync("--context", "sandbox-west", "delete", "-f", manifest);
        var after = await OkAsync("--context", "sandbox-west", "get", "sparkapplications", "-A", "-o", "name");

        Assert.Contains("sparkapplication.sparkoperator.k8s.io/spark-pi created", applied, StringComparison.Ordinal);
        Assert.Matches(@"default\s+spark-pi\s+.*COMPLETED", completed);
        Assert.Matches(@"default\s+spark-pi-driver\s+0/1\s+Succeeded", pods);
        Assert.Contains("Pi is roughly", log, StringComparison.Ordinal);
        Assert.Contains("sparkapplication.sparkoperator.k8s.io \"spark-pi\" deleted", deleted, StringComparison.Ordinal);
        Assert.Equal("", after.Trim());
    }

    [Fact]
    public async Task Each_context_reaches_its_own_cluster()
    {
        var east = await OkAsync("--context", "sandbox-east", "get", "nodes", "-o", "name");
        var west = await OkAsync("--context", "sandbox-west", "get", "nodes", "-o", "name");

        Assert.Contains("node/east-gpu-1", east, StringComparison.Ordinal);
        Assert.Contains("node/west-cpu-1", west, StringComparison.Ordinal);
        Assert.DoesNotContain("west", east, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kubectl_apply_twice_configures_and_a_bad_manifest_is_refused_with_the_field()
    {
        var manifest = Path.Combine(SharedFiles.Examples("training-operator"), "pytorch_simple.yaml");
        // The example goes to namespace kubeflow, which the sandbox has from the start, as a cluster
        // with the Training Operator installed does.

        await OkAsync("--context", "sandbox-east", "apply", "-f", manifest);
        var again = await OkAsync("--context", "sandbox-east", "apply", "-f", manifest);
        var bad = Path.GetTempFileName();
        await File.WriteAllTextAsync(bad, """
            apiVersion: sparkoperator.k8s.io/v1beta2
            kind: SparkApplication
            metadata: {name: bad, namespace: default}
            spec: {type: Scala, sparkVersion: "4.0.0", mainApplicationFile: x, driver: {}, executor: {instances: 0}}
            """);
        var (code, _, error) = await _kubectl.RunAsync("--context", "sandbox-east", "apply", "-f", bad);

        Assert.Contains("unchanged", again, StringComparison.Ordinal);
        Assert.NotEqual(0, code);
        Assert.Contains("spec.executor.instances", error, StringComparison.Ordinal);
    }
}
