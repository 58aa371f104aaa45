using System.Text.Json.Nodes;
using Gantry.Kubernetes.Tests.Support;
using Gantry.Sandbox;
using Gantry.Testing;
using k8s;

namespace Gantry.Kubernetes.Tests.Routing;

/// <summary>
/// The issue's reproduction on <c>gantry serve --sandbox-clusters 3</c>'s fleet, with the default
/// capacity refresh (every 5 s): six one-pod PyTorchJobs of 30 cpu submitted at once. Only the two
/// large clusters have nodes that big (two 32-cpu nodes each), so four run and two must wait, even
/// while the operator already calls the first four Running and the capacity reading does not show
/// their pods yet.
/// </summary>
public sealed class OvercommitTests
{
    [Fact]
    public async Task Six_30_cpu_jobs_on_the_sandbox_fleet_never_overcommit_a_cluster()
    {
        var clusters = await SandboxFleet.StartAsync(3, SharedFiles.Crds, TimeSpan.FromSeconds(60), null, CancellationToken.None);
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>
        {
            ["Gantry:Scheduler:IntervalMilliseconds"] = "200",
        });
        try
        {
            using var admin = gateway.Client();
            foreach (var cluster in clusters)
            {
                await admin.RegisterAsync(cluster);
            }
            await gateway.SetCordonAsync(true);
            await WaitForKindsAsync(admin, clusters);

            var ids = new List<string>();
            for (var i = 0; i < 6; i++)
            {
                ids.Add((await admin.SubmitAsync(new JsonObject { ["manifest"] = ThirtyCpuJob($"big-{i}") })).Id());
            }
            await ClusterLookups.EventuallyAsync(async () => (await JobsAsync(admin, ids)).Count(j => j.State() == "Running") >= 4, "four jobs running", TimeSpan.FromSeconds(60));

            // Two capacity readings and many rounds later, still only four are placed and no pod waits for room.
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(12);
            while (DateTime.UtcNow < until)
            {
                var jobs = await JobsAsync(admin, ids);
                var placed = jobs.Where(j => j["cluster"] is not null).Select(j => $"{j.Id()} on {j["cluster"]} ({j.State()})").ToList();
                Assert.True(placed.Count <= 4, $"more placed than the nodes can hold: {string.Join(", ", placed)}");
                foreach (var cluster in clusters)
                {
                    var unbound = await UnboundPodsAsync(cluster);
                    Assert.True(unbound.Count == 0, $"{cluster.Name} has pods waiting for room: {string.Join(", ", unbound)}");
                }
                await Task.Delay(250);
            }
            Assert.All((await JobsAsync(admin, ids)).Where(j => j["cluster"] is null), j => Assert.Equal("Queued", j.State()));
            foreach (var id in ids)
            {
                await admin.PostAsync($"api/v1/jobs/{id}/cancel", null);
            }
        }
        finally
        {
            foreach (var cluster in clusters)
            {
                await cluster.DisposeAsync();
            }
        }
    }

    private static JsonObject ThirtyCpuJob(string name) => new()
    {
        ["apiVersion"] = "kubeflow.org/v1",
        ["kind"] = "PyTorchJob",
        ["metadata"] = new JsonObject { ["name"] = name, ["annotations"] = new JsonObject { ["sandbox.gantry.io/duration"] = "60s" } },
        ["spec"] = new JsonObject
        {
            ["pytorchReplicaSpecs"] = new JsonObject
            {
                ["Master"] = new JsonObject
                {
                    ["replicas"] = 1,
                    ["template"] = new JsonObject
                    {
                        ["spec"] = new JsonObject
                        {
                            ["containers"] = new JsonArray(new JsonObject
                            {
                                ["name"] = "pytorch",
                                ["image"] = "pytorch/pytorch:2.4.0",
                                ["command"] = new JsonArray("python", "-c", "print(1)"),
                                ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = "30", ["memory"] = "8Gi" } },
                            }),
                        },
                    },
                },
            },
        },
    };

    private static async Task<List<JsonObject>> JobsAsync(HttpClient client, List<string> ids)
    {
        var jobs = new List<JsonObject>();
        foreach (var id in ids)
        {
            jobs.Add(await client.GetJobAsync(id));
        }
        return jobs;
    }

    private static async Task<List<string>> UnboundPodsAsync(SandboxCluster cluster)
    {
        using var client = new k8s.Kubernetes(k8s.KubernetesClientConfiguration.BuildConfigFromConfigObject(
            k8s.KubernetesYaml.Deserialize<k8s.KubeConfigModels.K8SConfiguration>(cluster.Kubeconfig())));
        var pods = await client.CoreV1.ListPodForAllNamespacesAsync();
        return pods.Items.Where(p => string.IsNullOrEmpty(p.Spec?.NodeName) && p.Status?.Phase is not ("Succeeded" or "Failed"))
            .Select(p => p.Metadata.Name).ToList();
    }

    private static async Task WaitForKindsAsync(HttpClient admin, IReadOnlyList<SandboxCluster> clusters)
    {
        foreach (var cluster in clusters)
        {
            await ClusterLookups.EventuallyAsync(async () =>
            {
                var view = JsonNode.Parse(await admin.GetStringAsync($"api/v1/clusters/{cluster.Name}"))!;
                return view["healthy"]!.GetValue<bool>() && view["kinds"]!.AsArray().Any(k => k!.GetValue<string>() == "PyTorchJob");
            }, $"{cluster.Name} healthy with PyTorchJob", TimeSpan.FromSeconds(30));
        }
    }
}
