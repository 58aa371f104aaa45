using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gantry.Testing;

namespace Gantry.Server.Tests.Api;

public sealed class JobLifecycleApiTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly TestGateway _gateway = fixture.Gateway;

    [Fact]
    public async Task Submit_answers_201_with_location_and_the_queued_job_with_its_demand()
    {
        using var client = _gateway.Client();
        var response = await client.PostAsJsonAsync("api/v1/jobs", TestJobs.Shell("true", cpu: "250m", memory: "128Mi"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var job = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal($"/api/v1/jobs/{job.Id()}", response.Headers.Location!.OriginalString);
        Assert.Equal("Queued", job.State());
        Assert.Equal("Command", job["kind"]!.GetValue<string>());
        Assert.Equal("admin", job["owner"]!.GetValue<string>());
        Assert.Equal(250, job["demand"]!["cpuMillicores"]!.GetValue<long>());
        Assert.Equal(128L * 1024 * 1024, job["demand"]!["memoryBytes"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_command_job_runs_to_success_and_its_output_is_in_the_logs()
    {
        using var client = _gateway.Client();
        var job = await client.SubmitAsync(TestJobs.Shell("echo hello-from-$GANTRY_JOB_ID; echo second line"));

        var done = await client.WaitForEndAsync(job.Id());

        Assert.Equal("Succeeded", done.State());
        Assert.Equal("local", done["cluster"]!.GetValue<string>());
        Assert.Equal("exit code 0", done["message"]!.GetValue<string>());
        Assert.NotNull(done["startedAt"]);
        Assert.NotNull(done["finishedAt"]);
        var logs = await client.GetStringAsync($"api/v1/jobs/{job.Id()}/logs");
        Assert.Equal($"hello-from-{job.Id()}\nsecond line\n", logs);
    }

    [Fact]
    public async Task Every_transition_is_recorded_as_an_event_in_order()
    {
        using var client = _gateway.Client();
        var job = await client.SubmitAsync(TestJobs.Shell("true"));
        await client.WaitForEndAsync(job.Id());

        var events = JsonNode.Parse(await client.GetStringAsync($"api/v1/jobs/{job.Id()}/events"))!["items"]!.AsArray();

        var path = events.Select(e => $"{e!["from"]?.GetValue<string>() ?? "-"}>{e!["to"]!.GetValue<string>()}").ToList();
        Assert.Equal(["->Queued", "Queued>Dispatching", "Dispatching>Running", "Running>Succeeded"], path);
        Assert.All(events, e => Assert.False(string.IsNullOrEmpty(e!["reason"]!.GetValue<string>())));
    }

    [Fact]
    public async Task A_failing_command_ends_failed_with_its_exit_code_in_the_message()
    {
        using var client = _gateway.Client();
        var job = await client.SubmitAsync(TestJobs.Shell("echo boom >&2; exit 3"));

        var done = await client.WaitForEndAsync(job.Id());

        Assert.Equal("Failed", done.State());
        Assert.Equal("exit code 3", done["message"]!.GetValue<string>());
        Assert.Contains("boom", await client.GetStringAsync($"api/v1/jobs/{job.Id()}/logs"));
    }

    [Fact]
    public async Task A_missing_program_fails_and_says_command_not_found()
    {
        using var client = _gateway.Client();
        var envelope = TestJobs.Shell("unused");
        envelope["manifest"]!["spec"]!["command"] = new JsonArray("no-such-program-xyz");
        var job = await client.SubmitAsync(envelope);

        var done = await client.WaitForEndAsync(job.Id());

        Assert.Equal("Failed", done.State());
        Assert.Contains("command not found", done["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Env_and_working_dir_reach_the_process()
    {
        using var client = _gateway.Client();
        var envelope = TestJobs.Shell("echo $GREETING; pwd; echo $GANTRY_URL");
        envelope["manifest"]!["spec"]!["env"] = new JsonObject { ["GREETING"] = "hi there" };
        var job = await client.SubmitAsync(envelope);
        await client.WaitForEndAsync(job.Id());

        var lines = (await client.GetStringAsync($"api/v1/jobs/{job.Id()}/logs")).Split('\n');

        Assert.Equal("hi there", lines[0]);
        Assert.Equal(Path.Combine(_gateway.JobsDir, job.Id(), "work"), lines[1]);
        Assert.Equal(_gateway.Url, lines[2]);
    }

    [Fact]
    public async Task Cancel_stops_a_running_job_and_its_whole_process_tree()
    {
        using var client = _gateway.Client();
        var marker = Path.Combine(Path.GetTempPath(), "gantry-cancel-" + Guid.NewGuid().ToString("N"));
        // The child writes its pid, then both parent and child sleep: cancel must end both.
        var job = await client.SubmitAsync(TestJobs.Shell($"sh -c 'echo $$ > {marker}; sleep 60' & sleep 60"));
        await client.WaitForStateAsync(job.Id(), TimeSpan.FromSeconds(60), "Running");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!File.Exists(marker) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        var childPid = int.Parse(File.ReadAllText(marker).Trim());

        var cancel = await client.PostAsync($"api/v1/jobs/{job.Id()}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        var done = await client.WaitForEndAsync(job.Id(), seconds: 60);

        Assert.Equal("Cancelled", done.State());
        Assert.False(Directory.Exists($"/proc/{childPid}") && !File.ReadAllText($"/proc/{childPid}/stat").Contains(") Z", StringComparison.Ordinal),
            $"the job's child process {childPid} is still alive");
        File.Delete(marker);
    }

    [Fact]
    public async Task A_command_that_exits_leaving_a_background_child_ends_only_once_the_child_is_gone()
    {
        using var client = _gateway.Client();
        var marker = Path.Combine(Path.GetTempPath(), "gantry-orphan-" + Guid.NewGuid().ToString("N"));
        // The command exits 0 as soon as its background child has written its pid; as a pod's container
        // ends with everything in it, the child is ended with the job, before its end is reported.
        var job = await client.SubmitAsync(TestJobs.Shell($"sh -c 'echo $$ > {marker}.tmp; mv {marker}.tmp {marker}; exec sleep 300' & while [ ! -e {marker} ]; do sleep 0.05; done"));

        var done = await client.WaitForEndAsync(job.Id(), seconds: 60);

        Assert.True(done.State() == "Succeeded", $"{done.State()}: {done["message"]}");
        var childPid = int.Parse(File.ReadAllText(marker).Trim());
        Assert.False(Directory.Exists($"/proc/{childPid}") && !File.ReadAllText($"/proc/{childPid}/stat").Contains(") Z", StringComparison.Ordinal),
            $"the job ended while its child process {childPid} still ran");
        File.Delete(marker);
    }

    [Fact]
    public async Task Cancel_is_idempotent_and_leaves_a_finished_job_as_it_is()
    {
        using var client = _gateway.Client();
        var job = await client.SubmitAsync(TestJobs.Shell("true"));
        await client.WaitForEndAsync(job.Id());

        var first = JsonNode.Parse(await (await client.PostAsync($"api/v1/jobs/{job.Id()}/cancel", null)).Content.ReadAsStringAsync())!;
        var second = await client.PostAsync($"api/v1/jobs/{job.Id()}/cancel", null);

        Assert.Equal("Succeeded", first["state"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("Succeeded", (await client.GetJobAsync(job.Id())).State());
    }

    [Fact]
    public async Task A_SparkApplication_no_cluster_runs_is_answered_422_naming_the_kind_and_how_to_get_Spark()
    {
        // This machine has no Spark (no SPARK_HOME, no spark-submit on PATH), so the local cluster does not list the kind.
        using var client = _gateway.Client();
        var envelope = new JsonObject
        {
            ["manifest"] = JsonNode.Parse("""
                {"apiVersion": "sparkoperator.k8s.io/v1beta2", "kind": "SparkApplication", "metadata": {"name": "pi"},
                 "spec": {"type": "Scala", "mode": "cluster", "sparkVersion": "3.5.0", "image": "spark:3.5.0",
                          "mainClass": "org.apache.spark.examples.SparkPi", "mainApplicationFile": "local:///opt/spark/examples/jars/spark-examples.jar",
                          "driver": {"cores": 1, "memory": "512m"}, "executor": {"cores": 1, "instances": 2, "memory": "512m"}}}
                """),
        };

        var response = await client.PostAsJsonAsync("api/v1/jobs", envelope);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        await BadInputTests.AssertProblemNamesAsync(response, "manifest.kind");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("no registered cluster runs SparkApplication jobs", body);
        Assert.Contains("SPARK_HOME", body);
        Assert.Contains("spark-submit on PATH", body);
        Assert.Contains("register a Kubernetes cluster", body);
    }
}
