using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gantry.Testing;
using k8s;
using k8s.KubeConfigModels;

namespace Gantry.Cli.Tests.Commands;

/// <summary>`gantry sandbox` as a real process: clusters a gateway imports from its kubeconfig and runs jobs on, counted once each; SIGTERM ends it cleanly.</summary>
public sealed class SandboxProcessTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gantry-sandbox-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_gateway_imports_the_standalone_sandbox_runs_a_job_on_it_once_and_SIGTERM_stops_the_sandbox_with_exit_0()
    {
        var kubeconfig = Path.Combine(_dir, "sandbox.kubeconfig");
        await using var sandbox = GantryProcess.Start("sandbox", "--clusters", "2", "--kubeconfig", kubeconfig, "--crds", SharedFiles.Crds);
        var banner = await sandbox.WaitForOutputAsync("Press Ctrl-C to stop.", TimeSpan.FromSeconds(120));

        Assert.Contains("Sandbox running: 2 simulated clusters", banner);
        Assert.Contains($"gantry clusters import {kubeconfig}", banner);
        Assert.Contains("-l gantry.io/sandbox=true", banner);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(kubeconfig));
        var contexts = KubernetesYaml.Deserialize<K8SConfiguration>(await File.ReadAllTextAsync(kubeconfig)).Contexts.Select(c => c.Name);
        Assert.Equal(["sandbox-east", "sandbox-west"], contexts.Order());

        await using var gateway = await TestGateway.StartAsync();
        // The local cluster cordoned: the job can only go to the sandbox's.
        await gateway.SetCordonAsync(true);
        var (code, imported) = await new CliRunner(gateway).RunAsync("clusters", "import", kubeconfig);
        Assert.True(code == 0, imported);
        Assert.Contains("sandbox-east", imported);
        Assert.Contains("sandbox-west", imported);
        using var client = gateway.Client();
        var job = await client.SubmitAsync(new JsonObject { ["manifest"] = TestJobs.SparkApplication("shared-pi"), ["queue"] = "default" });
        var done = await client.WaitForEndAsync(job.Id(), seconds: 120);
        Assert.True(done.State() == "Succeeded", $"{done.State()}: {done["message"]}");

        var creations = await SandboxCreations.ReadAsync(kubeconfig, job.Id());
        var creation = Assert.Single(creations);
        Assert.Equal(done["cluster"]!.GetValue<string>(), creation.Cluster);
        Assert.Equal(1, creation.Count);
        Assert.Equal(1, await SandboxCreations.CountAsync(kubeconfig, job.Id()));
        Assert.Equal(0, await SandboxCreations.CountAsync(kubeconfig, "no-such-job"));

        await sandbox.SignalAsync("TERM");
        var exit = await sandbox.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.True(exit == 0, $"exit {exit}: {sandbox.Output}");
        Assert.Contains("Stopping the sandbox", sandbox.Output);
    }

    [Fact]
    public async Task Sandbox_refuses_a_cluster_count_out_of_range_and_a_missing_crd_directory_naming_the_option()
    {
        await using var tooMany = GantryProcess.Start("sandbox", "--clusters", "17", "--kubeconfig", Path.Combine(_dir, "a"));
        await using var noCrds = GantryProcess.Start("sandbox", "--kubeconfig", Path.Combine(_dir, "b"), "--crds", Path.Combine(_dir, "missing"));

        Assert.Equal(2, await tooMany.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(2, await noCrds.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("--clusters must be between 1 and 16", tooMany.Output);
        Assert.Contains("--crds", noCrds.Output);
        Assert.False(File.Exists(Path.Combine(_dir, "a")));
    }
}
