using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gantry.Testing;

namespace Gantry.Server.Tests.Local;

/// <summary>TrainJobs on the local cluster: its built-in runtimes, each node a process with the runtime's environment contract.</summary>
public sealed partial class LocalTrainJobTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private const int Seconds = 180;

    private const string AllReduce = """
        import os, torch, torch.distributed as dist
        dist.init_process_group("gloo", init_method="env://")
        t = torch.tensor([dist.get_rank()])
        dist.all_reduce(t)
        print(f"rank {dist.get_rank()} of {dist.get_world_size()} sum {int(t.item())}", flush=True)
        dist.destroy_process_group()
        """;

    private readonly TestGateway _gateway = fixture.Gateway;

    private static JsonObject TrainJob(string runtime, JsonObject trainer, string name = "local-trainjob") => new()
    {
        ["manifest"] = new JsonObject
        {
            ["apiVersion"] = "trainer.kubeflow.org/v1alpha1",
            ["kind"] = "TrainJob",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = new JsonObject
            {
                ["runtimeRef"] = new JsonObject { ["name"] = runtime },
                ["trainer"] = trainer,
            },
        },
        ["queue"] = "default",
    };

    private static JsonArray Strings(params string[] items) => new([.. items.Select(i => (JsonNode)i)]);

    [TorchFact]
    public async Task A_torch_distributed_TrainJob_of_2_nodes_by_2_processes_runs_torchrun_on_gloo_and_every_rank_all_reduces()
    {
        var script = _gateway.WriteFile($"trainjob-allreduce-{Guid.NewGuid():N}.py", AllReduce);
        // torchrun reads PET_NNODES, PET_NPROC_PER_NODE, PET_NODE_RANK, PET_MASTER_ADDR and PET_MASTER_PORT as its defaults.
        var node = "echo node $PET_NODE_RANK of $PET_NNODES nproc $PET_NPROC_PER_NODE master $PET_MASTER_ADDR; exec torchrun \"$0\"";
        var trainer = new JsonObject
        {
            ["numNodes"] = 2,
            ["numProcPerNode"] = 2,
            ["command"] = Strings("sh", "-c", node),
            ["args"] = Strings(script),
            // Debian's torch 1.13 on Python 3.11 cannot parse torchrun's default --redirects/--tee (see DistributedTrainingTests).
            ["env"] = new JsonArray(
                new JsonObject { ["name"] = "PET_REDIRECTS", ["value"] = "9:1" },
                new JsonObject { ["name"] = "PET_TEE", ["value"] = "9:1" }),
            ["resourcesPerNode"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = "100m", ["memory"] = "64Mi" } },
        };
        using var client = _gateway.Client();
        var watch = Stopwatch.StartNew();
        var job = await client.SubmitAsync(TrainJob("torch-distributed", trainer));

        var done = await client.WaitForEndAsync(job.Id(), Seconds);

        Assert.True(done.State() == "Succeeded", $"{done.State()}: {done["message"]}");
        Assert.StartsWith("AllJobsCompleted: jobset completed successfully", done["message"]!.GetValue<string>());
        var first = await client.GetStringAsync($"api/v1/jobs/{job.Id()}/logs");
        var second = await client.GetStringAsync($"api/v1/jobs/{job.Id()}/logs?replica=node-0-1");
        Assert.Contains("node 0 of 2 nproc 2 master 127.0.0.1", first);
        Assert.Contains("node 1 of 2 nproc 2 master 127.0.0.1", second);
        Assert.Contains("rank 0 of 4 sum 6", first);
        Assert.Contains("rank 1 of 4 sum 6", first);
        Assert.Contains("rank 2 of 4 sum 6", second);
        Assert.Contains("rank 3 of 4 sum 6", second);
        var events = await client.GetStringAsync($"api/v1/jobs/{job.Id()}/events");
        Assert.Single(ImageIgnored().Matches(events));
        Assert.Equal(404, (int)(await client.GetAsync($"api/v1/jobs/{job.Id()}/logs?replica=node-0-2")).StatusCode);
        Console.WriteLine($"local torch TrainJob 2 nodes x 2 processes took {watch.Elapsed.TotalSeconds:F1}s");
    }

    [Fact]
    public async Task A_jax_distributed_TrainJobs_processes_meet_at_the_coordinator_and_each_process_id_arrives_once()
    {
        const string meet = """
            import os, socket, sys, time
            host, port = os.environ["JAX_COORDINATOR_ADDRESS"].rsplit(":", 1)
            n, me = int(os.environ["JAX_NUM_PROCESSES"]), int(os.environ["JAX_PROCESS_ID"])
            if me == 0:
                server = socket.create_server((host, int(port)))
                ids = [0]
                for _ in range(n - 1):
                    conn, _ = server.accept()
                    ids.append(int(conn.recv(16).decode()))
                    conn.close()
                print("coordinator saw", sorted(ids), flush=True)
                sys.exit(0 if sorted(ids) == list(range(n)) else 1)
            for attempt in range(300):
                try:
                    with socket.create_connection((host, int(port))) as s:
                        s.sendall(str(me).encode())
                    break
                except OSError:
                    time.sleep(0.1)
            print("process", me, "of", n, "reported", flush=True)
            """;
        var trainer = new JsonObject
        {
            ["numNodes"] = 3,
            ["command"] = Strings("/usr/bin/python3", "-c", meet),
            ["resourcesPerNode"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = "100m", ["memory"] = "64Mi" } },
        };
        using var client = _gateway.Client();
        var job = await client.SubmitAsync(TrainJob("jax-distributed", trainer));

        var done = await client.WaitForEndAsync(job.Id(), Seconds);

        Assert.True(done.State() == "Succeeded", $"{done.State()}: {done["message"]}");
        Assert.Contains("coordinator saw [0, 1, 2]", await client.GetStringAsync($"api/v1/jobs/{job.Id()}/logs"));
        Assert.Contains("process 2 of 3 reported", await client.GetStringAsync($"api/v1/jobs/{job.Id()}/logs?replica=node-0-2"));
    }

    [Fact]
    public async Task A_node_that_keeps_failing_ends_the_TrainJob_Failed_naming_the_first_failed_job()
    {
        var trainer = new JsonObject
        {
            ["numNodes"] = 2,
            ["command"] = Strings("sh", "-c", "[ \"$PET_NODE_RANK\" = 1 ] && exit 3; sleep 60"),
            ["resourcesPerNode"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = "100m", ["memory"] = "64Mi" } },
        };
        using var client = _gateway.Client();
        var job = await client.SubmitAsync(TrainJob("torch-distributed", trainer, name: "failing"));

        var done = await client.WaitForEndAsync(job.Id(), Seconds);

        Assert.Equal("Failed", done.State());
        Assert.StartsWith("FailedJobs: jobset failed due to one or more job failures (first failed job: failing-node-0); node-0-1 exited with code 3",
            done["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_runtime_no_cluster_has_is_refused_at_submission_naming_what_each_cluster_has()
    {
        using var client = _gateway.Client();
        var response = await client.PostAsJsonAsync("api/v1/jobs",
            TrainJob("deepspeed-distributed", new JsonObject { ["command"] = Strings("true") }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        var message = problem!["errors"]!["manifest.spec.runtimeRef.name"]![0]!.GetValue<string>();
        Assert.Contains("ClusterTrainingRuntime deepspeed-distributed", message);
        Assert.Contains("local has jax-distributed, torch-distributed, xgboost-distributed", message);
    }

    [Fact]
    public async Task The_local_cluster_lists_its_built_in_runtimes()
    {
        using var client = _gateway.Client();

        var list = await client.GetFromJsonAsync<JsonObject>("api/v1/clusters/local/runtimes");

        var items = list!["items"]!.AsArray();
        Assert.Equal(["jax-distributed", "torch-distributed", "xgboost-distributed"], items.Select(i => i!["name"]!.GetValue<string>()));
        Assert.Equal("torch", items[1]!["policy"]!.GetValue<string>());
    }

    [GeneratedRegex("the image is ignored locally")]
    private static partial Regex ImageIgnored();
}
