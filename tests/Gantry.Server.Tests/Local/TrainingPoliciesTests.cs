using System.Text.Json.Nodes;
using Gantry.Backends.Local;
using Gantry.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gantry.Server.Tests.Local;

/// <summary>
/// restartPolicy, backoffLimit and activeDeadlineSeconds on the local backend, with real processes:
/// shell replicas that fail a set number of times (counted in a file of the job's working directory).
/// </summary>
public sealed class TrainingPoliciesTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    // Replica FAILING fails its first FAILS runs with exit code CODE, the others none; each prints which run it is and its rank.
    private const string FailingReplica =
        "[ \"$HOSTNAME\" = \"$FAILING\" ] || FAILS=0; n=$(cat runs-$HOSTNAME 2>/dev/null || echo 0); n=$((n+1)); echo $n > runs-$HOSTNAME; " +
        "echo \"run $n rank $RANK id $PROCESS_ID\"; sleep 0.2; [ $n -gt ${FAILS:-0} ] || exit ${CODE:-1}; touch done-$HOSTNAME";

    private readonly TestGateway _gateway = fixture.Gateway;

    [Fact]
    public async Task A_worker_failing_under_OnFailure_is_restarted_with_the_same_rank_and_log_and_the_job_succeeds()
    {
        using var client = _gateway.Client();
        var master = Shell("while [ ! -e done-worker-1 ]; do sleep 0.1; done; echo master saw worker-1 done");
        var worker = Shell(FailingReplica, ("FAILING", "worker-1"), ("FAILS", "2"));
        var job = await client.SubmitAsync(PyTorchJob(master, worker, workers: 2, "OnFailure", new JsonObject { ["backoffLimit"] = 3 }));

        var done = await client.WaitForEndAsync(job.Id());

        Assert.True(done.State() == "Succeeded", $"{done.State()}: {done["message"]}");
        var log = await client.GetStringAsync($"api/v1/jobs/{job.Id()}/logs?replica=worker-1");
        Assert.Equal(
            "run 1 rank 2 id \n--- gantry: worker-1 restarted (exit 1), 1/3 ---\nrun 2 rank 2 id \n--- gantry: worker-1 restarted (exit 1), 2/3 ---\nrun 3 rank 2 id \n",
            log);
        var events = await client.GetStringAsync($"api/v1/jobs/{job.Id()}/events");
        Assert.Contains("\"reason\":\"worker-1 restarted (exit 1), 1/3\"", events);
        Assert.Contains("\"reason\":\"worker-1 restarted (exit 1), 2/3\"", events);
        Assert.DoesNotContain("worker-0 restarted", events);
        Assert.Equal(1, Occurrences(events, "the image is ignored locally"));
    }

    [Fact]
    public async Task A_worker_failing_past_the_backoff_limit_fails_the_job_naming_it_and_its_exit_code()
    {
        using var client = _gateway.Client();
        var worker = Shell(FailingReplica, ("FAILING", "worker-1"), ("FAILS", "99"), ("CODE", "3"));
        var job = await client.SubmitAsync(JaxJob(worker, workers: 2, "OnFailure", new JsonObject { ["backoffLimit"] = 2 }));

        var done = await client.WaitForEndAsync(job.Id());

        Assert.Equal("Failed", done.State());
        // As the operator counts: the job fails when the restarts would reach backoffLimit, so 2 allows one.
        Assert.Equal(
            "BackoffLimitExceeded: replica worker-1 exited with code 3 after 1 restart; " +
            "Job local-jaxjob has failed because it has reached the specified backoff limit (2); the other replicas were terminated",
            done["message"]!.GetValue<string>());
        Assert.Contains("worker-1 restarted (exit 3), 1/2", await client.GetStringAsync($"api/v1/jobs/{job.Id()}/events"));
        Assert.Equal("run 1 rank  id 1\n--- gantry: worker-1 restarted (exit 3), 1/2 ---\nrun 2 rank  id 1\n",
            await client.GetStringAsync($"api/v1/jobs/{job.Id()}/logs?replica=worker-1"));
        Assert.Empty(ProcessGroupsLeft(job.Id()));
    }

    [Fact]
    public async Task ExitCode_restarts_a_replica_killed_by_a_signal_but_fails_the_job_on_its_own_exit_code()
    {
        using var client = _gateway.Client();
        // Run 1 exits 130 (as if interrupted): retryable. Run 2 exits 3: the program's own failure.
        var worker = Shell("n=$(cat runs 2>/dev/null || echo 0); n=$((n+1)); echo $n > runs; echo run $n; [ $n = 1 ] && exit 130; exit 3");
        var job = await client.SubmitAsync(JaxJob(worker, workers: 1, "ExitCode", runPolicy: null));

        var done = await client.WaitForEndAsync(job.Id());

        Assert.Equal("Failed", done.State());
        Assert.Equal("replica worker-0 failed with exit code 3; restartPolicy ExitCode restarts only exit codes 128-255; the other replicas were terminated",
            done["message"]!.GetValue<string>());
        Assert.Contains("worker-0 restarted (exit 130), 1 (no backoffLimit)", await client.GetStringAsync($"api/v1/jobs/{job.Id()}/events"));
        Assert.Contains("run 2", await client.GetStringAsync($"api/v1/jobs/{job.Id()}/logs"));
    }

    [Fact]
    public async Task Always_restarts_a_replica_even_after_exit_0_so_only_the_backoff_limit_ends_it()
    {
        using var client = _gateway.Client();
        var job = await client.SubmitAsync(JaxJob(Shell("echo ran"), workers: 1, "Always", new JsonObject { ["backoffLimit"] = 2 }));

        var done = await client.WaitForEndAsync(job.Id());

        Assert.Equal("Failed", done.State());
        Assert.StartsWith("BackoffLimitExceeded: replica worker-0 exited with code 0 after 1 restart;", done["message"]!.GetValue<string>());
        Assert.Equal("ran\n--- gantry: worker-0 restarted (exit 0), 1/2 ---\nran\n", await client.GetStringAsync($"api/v1/jobs/{job.Id()}/logs"));
    }

    [Fact]
    public async Task Never_fails_the_job_at_the_first_failure_without_a_restart()
    {
        using var client = _gateway.Client();
        var job = await client.SubmitAsync(JaxJob(Shell(FailingReplica, ("FAILING", "worker-0"), ("FAILS", "1")), workers: 1, "Never", new JsonObject { ["backoffLimit"] = 5 }));

        var done = await client.WaitForEndAsync(job.Id());

        Assert.Equal("Failed", done.State());
        Assert.Equal("replica worker-0 failed with exit code 1; the other replicas were terminated", done["message"]!.GetValue<string>());
        Assert.DoesNotContain("restarted", await client.GetStringAsync($"api/v1/jobs/{job.Id()}/events"));
    }

    [Fact]
    public async Task A_job_running_past_its_active_deadline_fails_with_DeadlineExceeded_and_no_replica_process_is_left()
    {
        using var client = _gateway.Client();
        var job = await client.SubmitAsync(JaxJob(Shell("echo up; sleep 300"), workers: 2, "OnFailure", new JsonObject { ["activeDeadlineSeconds"] = 1 }));
        // On a slow machine the 1 s deadline may pass before a poll sees Running.
        await client.WaitForStateAsync(job.Id(), TimeSpan.FromSeconds(60), "Running", "Failed");
        // Each replica's shell writes its pid file itself, maybe a moment after the job is Running.
        List<int> groups = [];
        await Polling.UntilAsync(() =>
        {
            try
            {
                groups = ReplicaPids(job.Id());
                return groups.Count == 2;
            }
            catch (Exception e) when (e is IOException or FormatException)
            {
                return false;
            }
        }, "both replicas' pid files");

        var done = await client.WaitForEndAsync(job.Id());

        Assert.Equal("Failed", done.State());
        Assert.Equal(
            "DeadlineExceeded: Job local-jaxjob has failed because it was active longer than specified deadline (activeDeadlineSeconds 1); every replica was terminated",
            done["message"]!.GetValue<string>());
        var ran = DateTimeOffset.Parse(done["finishedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)
            - DateTimeOffset.Parse(done["startedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        // Ended by the deadline, not by the 300 s sleep; the margin is for a busy machine.
        Assert.InRange(ran.TotalSeconds, 1, 60);
        Assert.Equal(2, groups.Count);
        Assert.All(groups, pid => Assert.Empty(ProcessTree.InGroup(pid)));
    }

    [Fact]
    public async Task Jobs_dispatched_together_get_different_ports_each_held_until_its_job_ends()
    {
        using var client = _gateway.Client();
        var go = Path.Combine(_gateway.FilesDir, $"go-{Guid.NewGuid():N}");
        var worker = Shell($"echo port $COORDINATOR_PORT; while [ ! -e {go} ]; do sleep 0.05; done");
        var jobs = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => client.SubmitAsync(JaxJob(worker, workers: 1, "Never", runPolicy: null))));
        var ports = new List<int>();
        foreach (var job in jobs)
        {
            await client.WaitForStateAsync(job.Id(), TimeSpan.FromSeconds(60), "Running");
            ports.Add(await PortOfAsync(client, job.Id()));
        }
        var allocator = _gateway.Services.GetRequiredService<PortAllocator>();

        Assert.Equal(6, ports.Distinct().Count());
        // Outside the kernel's ephemeral range: no outgoing connection could take one before its job bound it
        // (unless that range starts so low that "auto" falls back to the kernel's pick).
        if (PortRange.Resolve("auto", PortRange.KernelEphemeral()) is { } auto)
        {
            Assert.All(ports, port => Assert.InRange(port, auto.First, auto.Last));
        }
        Assert.Subset(allocator.Reserved.ToHashSet(), ports.ToHashSet());

        await File.WriteAllTextAsync(go, "");
        foreach (var job in jobs)
        {
            Assert.Equal("Succeeded", (await client.WaitForEndAsync(job.Id())).State());
        }
        Assert.Empty(allocator.Reserved.Intersect(ports));
    }

    private static async Task<int> PortOfAsync(HttpClient client, string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var log = await client.GetStringAsync($"api/v1/jobs/{id}/logs");
            if (log.StartsWith("port ", StringComparison.Ordinal) && log.EndsWith('\n'))
            {
                return int.Parse(log["port ".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
            Assert.True(DateTime.UtcNow < deadline, $"job {id} never printed its port");
            await Task.Delay(50);
        }
    }

    private static JsonObject Shell(string script, params (string Name, string Value)[] env) =>
        DistributedTrainingTests.Container("pytorch", ["sh", "-c", script], [], env);

    private static JsonObject PyTorchJob(JsonObject master, JsonObject worker, int workers, string restartPolicy, JsonObject runPolicy)
    {
        var envelope = DistributedTrainingTests.Envelope("PyTorchJob", "pytorchReplicaSpecs", new JsonObject
        {
            ["Master"] = WithPolicy(DistributedTrainingTests.Replica(1, master), restartPolicy),
            ["Worker"] = WithPolicy(DistributedTrainingTests.Replica(workers, worker), restartPolicy),
        });
        envelope["manifest"]!["spec"]!["runPolicy"] = runPolicy;
        return envelope;
    }

    private static JsonObject JaxJob(JsonObject template, int workers, string restartPolicy, JsonObject? runPolicy)
    {
        var worker = (JsonObject)template.DeepClone();
        worker["name"] = "jax";
        var envelope = DistributedTrainingTests.Envelope("JAXJob", "jaxReplicaSpecs", new JsonObject
        {
            ["Worker"] = WithPolicy(DistributedTrainingTests.Replica(workers, worker), restartPolicy),
        });
        if (runPolicy is not null)
        {
            envelope["manifest"]!["spec"]!["runPolicy"] = runPolicy;
        }
        return envelope;
    }

    private static JsonObject WithPolicy(JsonObject replica, string restartPolicy)
    {
        replica["restartPolicy"] = restartPolicy;
        return replica;
    }

    private static int Occurrences(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    private List<int> ReplicaPids(string id) => ProcessTree.ReplicaPids(_gateway.JobsDir, id);

    private List<int> ProcessGroupsLeft(string id) => ReplicaPids(id).Where(pid => ProcessTree.InGroup(pid).Count > 0).ToList();
}
