using System.Diagnostics;
using System.Text.Json.Nodes;
using Gantry.Testing;

namespace Gantry.Server.Tests.Local;

/// <summary>PyTorchJob and JAXJob on the local backend, with real torch.distributed (gloo) and real TCP rendezvous.</summary>
public sealed class DistributedTrainingTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private const int Seconds = 180;

    // Every rank adds its rank: 0 + 1 + 2 = 3 on all three.
    private const string AllReduce = """
        import os, sys, time, torch, torch.distributed as dist
        if os.environ.get("FAIL_RANK") == os.environ["RANK"]:
            print("rank", os.environ["RANK"], "gives up", flush=True); sys.exit(1)
        dist.init_process_group("gloo", init_method="env://")
        t = torch.tensor([dist.get_rank()])
        dist.all_reduce(t)
        print(f"rank {dist.get_rank()} of {dist.get_world_size()} sum {int(t.item())}", flush=True)
        time.sleep(float(os.environ.get("LINGER", "0")))
        dist.destroy_process_group()
        """;

    private readonly TestGateway _gateway = fixture.Gateway;

    [TorchFact]
    public async Task A_PyTorchJob_with_a_master_and_two_workers_all_reduces_over_gloo_and_succeeds()
    {
        using var client = _gateway.Client();
        var watch = Stopwatch.StartNew();
        var job = await client.SubmitAsync(PyTorchJob(workers: 2));

        var done = await client.WaitForEndAsync(job.Id(), Seconds);

        Assert.True(done.State() == "Succeeded", $"{done.State()}: {done["message"]}");
        Assert.Equal("master-0 succeeded", done["message"]!.GetValue<string>());
        string[] replicas = ["master-0", "worker-0", "worker-1"];
        for (var rank = 0; rank < replicas.Length; rank++)
        {
            var log = await client.GetStringAsync($"api/v1/jobs/{job.Id()}/logs?replica={replicas[rank]}");
            Assert.Contains($"rank {rank} of 3 sum 3", log);
        }
        Assert.Contains("rank 0 of 3 sum 3", await client.GetStringAsync($"api/v1/jobs/{job.Id()}/logs"));
        var missing = await client.GetAsync($"api/v1/jobs/{job.Id()}/logs?replica=worker-2");
        Assert.Equal(404, (int)missing.StatusCode);
        Console.WriteLine($"torch all_reduce job took {watch.Elapsed.TotalSeconds:F1}s");
    }

    [TorchFact]
    public async Task A_worker_exiting_1_fails_the_PyTorchJob_naming_the_replica_and_ends_the_others()
    {
        using var client = _gateway.Client();
        var job = await client.SubmitAsync(PyTorchJob(workers: 2, env: ("FAIL_RANK", "2")));

        var done = await client.WaitForEndAsync(job.Id(), Seconds);

        Assert.Equal("Failed", done.State());
        Assert.StartsWith("replica worker-1 failed with exit code 1", done["message"]!.GetValue<string>());
        Assert.Empty(ProcessGroupsLeft(job.Id()));
    }

    [TorchFact]
    public async Task Cancelling_a_running_PyTorchJob_leaves_no_process_of_any_replica_behind()
    {
        using var client = _gateway.Client();
        var job = await client.SubmitAsync(PyTorchJob(workers: 2, env: ("LINGER", "300")));
        await WaitForLogAsync(client, job.Id(), "worker-1", "sum 3");
        var groups = ReplicaPids(job.Id());
        Assert.Equal(3, groups.Count);
        Assert.All(groups, pid => Assert.NotEmpty(ProcessesInGroup(pid)));

        await client.PostAsync($"api/v1/jobs/{job.Id()}/cancel", null);
        var done = await client.WaitForEndAsync(job.Id(), Seconds);

        Assert.Equal("Cancelled", done.State());
        Assert.All(groups, pid => Assert.Empty(ProcessesInGroup(pid)));
    }

    [TorchFact]
    public async Task With_nproc_per_node_2_torchrun_starts_two_ranks_per_replica_and_world_size_counts_them()
    {
        // torchrun's workers get RANK and WORLD_SIZE from torchrun; the node process sees the operator's.
        var script = _gateway.WriteFile($"allreduce-{Guid.NewGuid():N}.py", AllReduce);
        var node = "echo node $RANK world $WORLD_SIZE nnodes $PET_NNODES nproc $PET_NPROC_PER_NODE; exec /usr/bin/python3 -m torch.distributed.run \"$0\"";
        // Debian's torch 1.13 on Python 3.11 cannot parse torchrun's default --redirects/--tee ("0"); a mapping for a
        // local rank that does not exist leaves every rank's output on the console, as the default would.
        var container = Container("pytorch", ["sh", "-c", node], [script], ("PET_REDIRECTS", "9:1"), ("PET_TEE", "9:1"));
        var envelope = Envelope("PyTorchJob", "pytorchReplicaSpecs", new JsonObject
        {
            ["Master"] = Replica(1, container.DeepClone()),
            ["Worker"] = Replica(1, container),
        });
        envelope["manifest"]!["spec"]!["nprocPerNode"] = "2";
        using var client = _gateway.Client();
        var watch = Stopwatch.StartNew();
        var job = await client.SubmitAsync(envelope);

        var done = await client.WaitForEndAsync(job.Id(), Seconds);

        Assert.True(done.State() == "Succeeded", $"{done.State()}: {done["message"]}");
        var master = await client.GetStringAsync($"api/v1/jobs/{job.Id()}/logs?replica=master-0");
        var worker = await client.GetStringAsync($"api/v1/jobs/{job.Id()}/logs?replica=worker-0");
        Assert.Contains("node 0 world 4 nnodes 2 nproc 2", master);
        Assert.Contains("node 1 world 4 nnodes 2 nproc 2", worker);
        // Ranks 0 and 1 run on the master's "node", 2 and 3 on the worker's; 0+1+2+3 = 6 everywhere.
        Assert.Contains("rank 0 of 4 sum 6", master);
        Assert.Contains("rank 1 of 4 sum 6", master);
        Assert.Contains("rank 2 of 4 sum 6", worker);
        Assert.Contains("rank 3 of 4 sum 6", worker);
        Assert.Contains("nprocPerNode 2: WORLD_SIZE counts 2 processes per replica", await client.GetStringAsync($"api/v1/jobs/{job.Id()}/events"));
        Console.WriteLine($"torchrun job with 2 replicas x 2 processes took {watch.Elapsed.TotalSeconds:F1}s");
    }

    [Fact]
    public async Task A_JAXJobs_processes_meet_at_the_coordinator_and_each_process_id_arrives_once()
    {
        const string meet = """
            import os, socket, sys, time
            addr, port = os.environ["COORDINATOR_ADDRESS"], int(os.environ["COORDINATOR_PORT"])
            n, me = int(os.environ["NUM_PROCESSES"]), int(os.environ["PROCESS_ID"])
            if me == 0:
                server = socket.create_server((addr, port))
                ids = [0]
                for _ in range(n - 1):
                    conn, _ = server.accept()
                    ids.append(int(conn.recv(16).decode()))
                    conn.close()
                print("coordinator saw", sorted(ids), flush=True)
                sys.exit(0 if sorted(ids) == list(range(n)) else 1)
            for attempt in range(300):
                try:
                    with socket.create_connection((addr, port)) as s:
                        s.sendall(str(me).encode())
                    break
                except OSError:
                    time.sleep(0.1)
            print("process", me, "of", n, "reported", flush=True)
            """;
        using var client = _gateway.Client();
        var container = Container("jax", ["/usr/bin/python3", "-c"], [meet]);
        var job = await client.SubmitAsync(Envelope("JAXJob", "jaxReplicaSpecs", new JsonObject { ["Worker"] = Replica(4, container) }));

        var done = await client.WaitForEndAsync(job.Id(), Seconds);

        Assert.True(done.State() == "Succeeded", $"{done.State()}: {done["message"]}");
        Assert.Contains("coordinator saw [0, 1, 2, 3]", await client.GetStringAsync($"api/v1/jobs/{job.Id()}/logs"));
        Assert.Contains("process 3 of 4 reported", await client.GetStringAsync($"api/v1/jobs/{job.Id()}/logs?replica=worker-3"));
        var events = await client.GetStringAsync($"api/v1/jobs/{job.Id()}/events");
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(events, "the image is ignored locally"));
    }

    private static JsonObject PyTorchJob(int workers, params (string Name, string Value)[] env)
    {
        var container = Container("pytorch", [TorchFactAttribute.Python, "-c", AllReduce], [], env);
        return Envelope("PyTorchJob", "pytorchReplicaSpecs", new JsonObject
        {
            ["Master"] = Replica(1, container.DeepClone()),
            ["Worker"] = Replica(workers, container),
        });
    }

    internal static JsonObject Envelope(string kind, string field, JsonObject replicas) => new()
    {
        ["manifest"] = new JsonObject
        {
            ["apiVersion"] = "kubeflow.org/v1",
            ["kind"] = kind,
            ["metadata"] = new JsonObject { ["name"] = "local-" + kind.ToLowerInvariant() },
            ["spec"] = new JsonObject { [field] = replicas },
        },
        ["queue"] = "default",
    };

    internal static JsonObject Replica(int count, JsonNode container) => new()
    {
        ["replicas"] = count,
        ["restartPolicy"] = "Never",
        ["template"] = new JsonObject { ["spec"] = new JsonObject { ["containers"] = new JsonArray(container) } },
    };

    internal static JsonObject Container(string name, string[] command, string[] args, params (string Name, string Value)[] env) => new()
    {
        ["name"] = name,
        ["image"] = "registry.example.com/train:1",
        ["command"] = new JsonArray([.. command.Select(c => (JsonNode)c)]),
        ["args"] = new JsonArray([.. args.Select(a => (JsonNode)a)]),
        ["env"] = new JsonArray([.. env.Select(e => (JsonNode)new JsonObject { ["name"] = e.Name, ["value"] = e.Value })]),
        ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = "100m", ["memory"] = "64Mi" } },
    };

    private static async Task WaitForLogAsync(HttpClient client, string id, string replica, string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(Seconds);
        while (!(await client.GetStringAsync($"api/v1/jobs/{id}/logs?replica={replica}")).Contains(text, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{replica} never printed '{text}'");
            await Task.Delay(100);
        }
    }

    private List<int> ReplicaPids(string id) => ProcessTree.ReplicaPids(_gateway.JobsDir, id);

    private List<int> ProcessGroupsLeft(string id) => ReplicaPids(id).Where(pid => ProcessesInGroup(pid).Count > 0).ToList();

    private static List<int> ProcessesInGroup(int group) => ProcessTree.InGroup(group);
}
