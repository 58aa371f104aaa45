using System.Text;
using System.Text.Json.Nodes;
using Gantry.Backends;
using Gantry.Backends.Local;
using Gantry.Core.Jobs;
using Gantry.Sandbox;
using Gantry.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gantry.Server.Tests.Scheduling;

/// <summary>
/// <c>local</c> takes a job only if it can really run it: a Training Operator example, whose command
/// (or entrypoint) is only inside its image, goes to a Kubernetes cluster, or waits, and explain says
/// why local was refused; a job whose command is on this machine still runs here.
/// </summary>
public sealed class LocalEligibilityTests
{
    private const string NoCommand = "local: container pytorch has no command; its image's entrypoint cannot run here";

    // A local cluster far larger than the sandbox, so that only the eligibility rule keeps jobs off it.
    private static readonly Dictionary<string, string?> BigLocal = new() { ["Gantry:Local:Cpu"] = "64", ["Gantry:Local:Memory"] = "256Gi" };

    [Fact]
    public async Task With_a_sandbox_cluster_registered_no_training_operator_example_goes_to_local_and_explain_says_why()
    {
        await using var gateway = await TestGateway.StartAsync(BigLocal);
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxClusterOptions
        {
            Name = "sandbox",
            Nodes = [new SandboxNode("cpu-1", "16", "64Gi"), new SandboxNode("gpu-1", "16", "64Gi", Gpu: 4)],
        }, CancellationToken.None);
        using var admin = gateway.Client();
        await admin.RegisterAsync(sandbox);
        await WaitForKindsAsync(admin, "sandbox", "PyTorchJob", "JAXJob");

        var files = Directory.GetFiles(SharedFiles.Examples("training-operator"), "*.yaml").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(8, files.Count);
        var jobs = new List<(string File, string Id)>();
        foreach (var file in files)
        {
            jobs.Add((Path.GetFileName(file), (await SubmitYamlAsync(admin, File.ReadAllText(file))).Id()));
        }

        foreach (var (file, id) in jobs)
        {
            var placed = await WaitForClusterAsync(admin, id);
            Assert.True(placed == "sandbox", $"{file} went to {placed}");
            var explain = JsonNode.Parse(await admin.GetStringAsync($"api/v1/jobs/{id}/explain"))!;
            var summary = explain["summary"]!.GetValue<string>();
            var notEligible = Assert.Single(explain["notEligible"]!.AsArray())!.GetValue<string>();
            Assert.StartsWith("local: container ", notEligible);
            Assert.Contains($"Not eligible: {notEligible}.", summary);
            Assert.DoesNotContain("..", summary);
        }
        var sendrecv = jobs.Single(j => j.File.Contains("sendrecv", StringComparison.Ordinal)).Id;
        var simple = jobs.Single(j => j.File == "pytorch_simple.yaml").Id;
        Assert.Equal(NoCommand, await NotEligibleAsync(admin, sendrecv));
        Assert.Equal("local: container pytorch runs /opt/pytorch-mnist/mnist.py, which does not exist on the gateway's machine", await NotEligibleAsync(admin, simple));
    }

    [Fact]
    public async Task An_image_only_job_on_a_gateway_with_only_local_stays_queued_with_the_reason_instead_of_succeeding()
    {
        await using var gateway = await TestGateway.StartAsync(BigLocal);
        using var client = gateway.Client();
        var job = await SubmitYamlAsync(client, File.ReadAllText(SharedFiles.Example("training-operator", "pytorch_smoke-dist_pytorch_job_sendrecv.yaml")));

        var waiting = await WaitForMessageAsync(client, job.Id(), "can run it");
        var explain = JsonNode.Parse(await client.GetStringAsync($"api/v1/jobs/{job.Id()}/explain"))!;

        Assert.Equal("Queued", waiting.State());
        Assert.Equal($"waiting: no cluster it may use can run it; {NoCommand}", waiting["message"]!.GetValue<string>());
        Assert.Equal("CannotRun", explain["code"]!.GetValue<string>());
        Assert.EndsWith($"; no cluster it may use can run it; {NoCommand}", explain["summary"]!.GetValue<string>());
        var verdict = Assert.Single(explain["clusters"]!.AsArray())!;
        Assert.Equal(("local", false, "CannotRun"), (verdict["name"]!.GetValue<string>(), verdict["fits"]!.GetValue<bool>(), verdict["code"]!.GetValue<string>()));
        Assert.Equal(NoCommand["local: ".Length..], verdict["reason"]!.GetValue<string>());
        // Rounds go on every 100 ms: it is still queued, never run.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal("Queued", (await client.GetJobAsync(job.Id())).State());
        Assert.False(Directory.Exists(Path.Combine(gateway.JobsDir, job.Id())), "the local backend made a directory for a job it must not run");
    }

    [Fact]
    public async Task If_asked_anyway_the_local_backend_fails_a_replica_with_no_command_with_the_reason_rather_than_succeeding()
    {
        await using var gateway = await TestGateway.StartAsync(BigLocal);
        var local = gateway.Services.GetRequiredService<LocalBackend>();
        var manifest = JsonNode.Parse(Core.Manifests.YamlJson.Parse(
            File.ReadAllText(SharedFiles.Example("training-operator", "pytorch_smoke-dist_pytorch_job_sendrecv.yaml")))!.ToJsonString())!;
        var job = new Job
        {
            Id = JobId.New(),
            Name = "sendrecv",
            Kind = "PyTorchJob",
            Queue = "default",
            Owner = "admin",
            Manifest = manifest.ToJsonString(),
            Demand = Core.Resources.ResourceDemand.None,
            State = JobState.Dispatching,
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
        };

        var refused = await Assert.ThrowsAsync<DispatchException>(() =>
            local.DispatchAsync(job, new DispatchContext("token") { Owner = new Core.Users.User("admin", Core.Users.Role.Admin, DateTimeOffset.UtcNow) }, CancellationToken.None));

        Assert.Equal(NoCommand["local: ".Length..], refused.Message);
        Assert.False(refused.Retryable);
    }

    [Fact]
    public async Task A_PyTorchJob_whose_script_is_on_this_machine_still_runs_locally_and_succeeds()
    {
        await using var gateway = await TestGateway.StartAsync(BigLocal);
        using var client = gateway.Client();
        var script = gateway.WriteFile($"hello-{Guid.NewGuid():N}.py", "import os\nprint('hello from rank', os.environ['RANK'])\n");
        var job = await SubmitYamlAsync(client, $$"""
            apiVersion: kubeflow.org/v1
            kind: PyTorchJob
            metadata: {name: hello}
            spec:
              pytorchReplicaSpecs:
                Master:
                  replicas: 1
                  restartPolicy: Never
                  template:
                    spec:
                      containers:
                      - name: pytorch
                        image: pytorch/pytorch:2.3.0-cpu
                        command: [python3, "{{script}}"]
            """);

        var done = await client.WaitForEndAsync(job.Id());

        Assert.True(done.State() == "Succeeded", $"{done.State()}: {done["message"]}");
        Assert.Equal("local", done["cluster"]!.GetValue<string>());
        Assert.Contains("hello from rank 0", await client.GetStringAsync($"api/v1/jobs/{job.Id()}/logs"));
        var explain = JsonNode.Parse(await client.GetStringAsync($"api/v1/jobs/{job.Id()}/explain"))!;
        Assert.Empty(explain["notEligible"]!.AsArray());
    }

    private static async Task<JsonObject> SubmitYamlAsync(HttpClient client, string yaml)
    {
        using var content = new StringContent(yaml, Encoding.UTF8, "application/yaml");
        var response = await client.PostAsync("api/v1/jobs", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == 201, $"submit answered {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    private static async Task<string> NotEligibleAsync(HttpClient client, string id) =>
        Assert.Single(JsonNode.Parse(await client.GetStringAsync($"api/v1/jobs/{id}/explain"))!["notEligible"]!.AsArray())!.GetValue<string>();

    /// <summary>The cluster the job was dispatched to, once it has one.</summary>
    private static async Task<string> WaitForClusterAsync(HttpClient client, string id)
    {
        string? cluster = null;
        await Polling.UntilAsync(async () =>
        {
            var job = await client.GetJobAsync(id);
            cluster = job["cluster"]?.GetValue<string>();
            return cluster is not null || job.State() is "Failed";
        }, $"job {id} to be placed", TimeSpan.FromSeconds(120));
        return cluster ?? "nowhere";
    }

    private static async Task<JsonObject> WaitForMessageAsync(HttpClient client, string id, string fragment)
    {
        JsonObject job = [];
        await Polling.UntilAsync(async () =>
        {
            job = await client.GetJobAsync(id);
            return job["message"]?.GetValue<string>().Contains(fragment, StringComparison.Ordinal) == true || job.State() != "Queued";
        }, $"job {id} to wait with '{fragment}'", TimeSpan.FromSeconds(60));
        return job;
    }

    private static async Task WaitForKindsAsync(HttpClient client, string cluster, params string[] kinds) =>
        await Polling.UntilAsync(async () =>
        {
            var found = JsonNode.Parse(await client.GetStringAsync($"api/v1/clusters/{cluster}"))!;
            var listed = found["kinds"]?.AsArray().Select(k => k!.GetValue<string>()).ToHashSet() ?? [];
            return found["healthy"]?.GetValue<bool>() == true && kinds.All(listed.Contains);
        }, $"cluster {cluster} to run {string.Join(", ", kinds)}", TimeSpan.FromSeconds(60));
}
