using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gantry.Testing;

namespace Gantry.Server.Tests.Local;

/// <summary>batch/v1 Jobs on the local cluster: one process per pod running the first container's command, the image ignored.</summary>
public sealed partial class LocalBatchJobTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly TestGateway _gateway = fixture.Gateway;

    private static JsonObject Job(string script, int parallelism, int backoffLimit = 6, bool indexed = false)
    {
        var spec = new JsonObject
        {
            ["parallelism"] = parallelism,
            ["completions"] = parallelism,
            ["backoffLimit"] = backoffLimit,
            ["template"] = new JsonObject
            {
                ["spec"] = new JsonObject
                {
                    ["restartPolicy"] = "Never",
                    ["containers"] = new JsonArray(new JsonObject
                    {
                        ["name"] = "training-container",
                        ["image"] = "ghcr.io/kubeflow/katib/pytorch-mnist-cpu:latest",
                        ["command"] = new JsonArray("sh", "-c", script),
                        ["env"] = new JsonArray(new JsonObject { ["name"] = "LR", ["value"] = "0.01" }),
                        ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = "100m", ["memory"] = "64Mi" } },
                    }),
                },
            },
        };
        if (indexed)
        {
            spec["completionMode"] = "Indexed";
        }
        return new JsonObject
        {
            ["manifest"] = new JsonObject { ["apiVersion"] = "batch/v1", ["kind"] = "Job", ["metadata"] = new JsonObject { ["name"] = "trial" }, ["spec"] = spec },
            ["queue"] = "default",
        };
    }

    [Fact]
    public async Task An_Indexed_Job_runs_one_process_per_pod_with_its_completion_index_and_the_containers_env()
    {
        using var client = _gateway.Client();
        var job = await client.SubmitAsync(Job("echo index=$JOB_COMPLETION_INDEX host=$HOSTNAME lr=$LR", parallelism: 2, indexed: true));

        var done = await client.WaitForEndAsync(job.Id());

        Assert.True(done.State() == "Succeeded", $"{done.State()}: {done["message"]}");
        Assert.Equal("local", done["cluster"]!.GetValue<string>());
        Assert.StartsWith("CompletionsReached: Reached expected number of succeeded pods (2)", done["message"]!.GetValue<string>());
        Assert.Contains("index=0 host=pod-0 lr=0.01", await client.GetStringAsync($"api/v1/jobs/{job.Id()}/logs"));
        Assert.Contains("index=1 host=pod-1 lr=0.01", await client.GetStringAsync($"api/v1/jobs/{job.Id()}/logs?replica=pod-1"));
        Assert.Equal(404, (int)(await client.GetAsync($"api/v1/jobs/{job.Id()}/logs?replica=pod-2")).StatusCode);
        var events = await client.GetStringAsync($"api/v1/jobs/{job.Id()}/events");
        Assert.Single(ImageIgnored().Matches(events));
    }

    [Fact]
    public async Task A_failing_pod_runs_again_as_the_Job_controller_replaces_it_until_backoffLimit_is_passed()
    {
        using var client = _gateway.Client();
        var job = await client.SubmitAsync(Job("echo attempt; exit 3", parallelism: 1, backoffLimit: 2));

        var done = await client.WaitForEndAsync(job.Id());

        Assert.Equal("Failed", done.State());
        Assert.StartsWith("BackoffLimitExceeded: Job has reached the specified backoff limit (2); pod-0 exited with code 3", done["message"]!.GetValue<string>());
        // backoffLimit 2: the pod fails three times (the first run and two replacements) before the Job fails.
        var log = await client.GetStringAsync($"api/v1/jobs/{job.Id()}/logs");
        Assert.Equal(3, Regex.Count(log, "^attempt$", RegexOptions.Multiline));
    }

    [Fact]
    public async Task A_Job_needing_more_completions_than_parallelism_waits_with_the_local_reason_instead_of_running()
    {
        using var client = _gateway.Client();
        var envelope = Job("echo never", parallelism: 1);
        envelope["manifest"]!["spec"]!["completions"] = 3;
        var job = await client.SubmitAsync(envelope);

        JsonObject current = [];
        await Polling.UntilAsync(async () =>
        {
            current = await client.GetJobAsync(job.Id());
            return current["message"]?.GetValue<string>().Contains("completions must not exceed parallelism", StringComparison.Ordinal) == true || current.State() != "Queued";
        }, "the Job to wait with the local reason", TimeSpan.FromSeconds(60));

        Assert.Equal("Queued", current.State());
        Assert.Contains("local: the Job asks for 3 completions with parallelism 1", current["message"]!.GetValue<string>());
        (await client.PostAsync($"api/v1/jobs/{job.Id()}/cancel", null)).EnsureSuccessStatusCode();
    }

    [GeneratedRegex("the image ghcr.io/kubeflow/katib/pytorch-mnist-cpu:latest is ignored locally")]
    private static partial Regex ImageIgnored();
}
