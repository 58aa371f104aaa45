using System.Text.Json.Nodes;
using Gantry.Sandbox.Tests.Support;
using k8s;
using k8s.Models;
using static Gantry.Sandbox.Tests.Support.Manifests;

namespace Gantry.Sandbox.Tests.Simulation;

/// <summary>What the simulated operators do besides succeeding: pods and labels, failures, logs, the UI proxy, cleanup.</summary>
[Collection(SandboxCollection.Name)]
public class OperatorBehaviourTests(SandboxFixture sandbox)
{
    private readonly IKubernetes _client = sandbox.Client;

    private async Task<JsonObject> SparkAsync(string ns, string name) =>
        AsNode(await _client.CustomObjects.GetNamespacedCustomObjectAsync(SparkGroup, SparkVersion, ns, SparkPlural, name));

    private Task<JsonObject> UntilSparkState(string ns, string name, string state) =>
        Eventually.Until(() => SparkAsync(ns, name), o => o.Text("status.applicationState.state") == state, what: $"{name} {state}");

    [Fact]
    public async Task A_spark_application_gets_a_driver_executors_and_a_UI_service_with_the_operators_names_and_labels()
    {
        var ns = await sandbox.NamespaceAsync("spark");
        await _client.CustomObjects.CreateNamespacedCustomObjectAsync(Spark("pi", executors: 2, duration: "1h", labels: new JsonObject { ["gantry.io/job-id"] = "j1" }), SparkGroup, SparkVersion, ns, SparkPlural);

        var app = await Eventually.Until(() => SparkAsync(ns, "pi"), o => o["status"]?["executorState"] is JsonObject { Count: 2 } states && states.All(s => (string?)s.Value == "RUNNING"), what: "executors running");
        var pods = await _client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "gantry.io/job-id=j1,sparkoperator.k8s.io/app-name=pi");
        var service = await _client.CoreV1.ReadNamespacedServiceAsync("pi-ui-svc", ns);

        Assert.Equal("pi-driver", app.Text("status.driverInfo.podName"));
        Assert.Equal("pi-ui-svc", app.Text("status.driverInfo.webUIServiceName"));
        Assert.Equal("4040", app.Text("status.driverInfo.webUIPort"));
        Assert.Equal(3, pods.Items.Count);
        var driver = Assert.Single(pods.Items, p => p.Metadata.Labels["spark-role"] == "driver");
        Assert.Equal("spark-kubernetes-driver", driver.Spec.Containers[0].Name);
        Assert.Equal("true", driver.Metadata.Labels["sparkoperator.k8s.io/launched-by-spark-operator"]);
        Assert.Equal(app.Text("status.submissionID"), driver.Metadata.Labels["sparkoperator.k8s.io/submission-id"]);
        Assert.All(pods.Items.Where(p => p.Metadata.Labels["spark-role"] == "executor"), p => Assert.Matches("^pi-[0-9a-f]{16}-exec-[12]$", p.Metadata.Name));
        // Scala: 512 MiB heap + the 384 MiB minimum overhead.
        Assert.Equal("896Mi", driver.Spec.Containers[0].Resources.Requests["memory"].ToString());
        Assert.Equal(4040, service.Spec.Ports[0].Port);
    }

    [Fact]
    public async Task A_spark_application_annotated_to_fail_ends_FAILED_with_the_message_and_a_failed_driver()
    {
        var ns = await sandbox.NamespaceAsync("sparkfail");
        await _client.CustomObjects.CreateNamespacedCustomObjectAsync(Spark("pi", fail: "boom: division by zero"), SparkGroup, SparkVersion, ns, SparkPlural);

        var app = await UntilSparkState(ns, "pi", "FAILED");
        var driver = await _client.CoreV1.ReadNamespacedPodAsync("pi-driver", ns);

        Assert.Equal("boom: division by zero", app.Text("status.applicationState.errorMessage"));
        Assert.NotNull(app.Text("status.terminationTime"));
        Assert.Equal("Failed", driver.Status.Phase);
        Assert.Equal(1, driver.Status.ContainerStatuses[0].State.Terminated.ExitCode);
    }

    [Fact]
    public async Task A_training_job_goes_Created_Running_Succeeded_with_replica_statuses_and_operator_labels()
    {
        var ns = await sandbox.NamespaceAsync("torch");
        await _client.CustomObjects.CreateNamespacedCustomObjectAsync(PyTorch("mnist", workers: 2, duration: "500ms"), "kubeflow.org", "v1", ns, "pytorchjobs");

        var job = await Eventually.Until(async () => AsNode(await _client.CustomObjects.GetNamespacedCustomObjectAsync("kubeflow.org", "v1", ns, "pytorchjobs", "mnist")),
            o => OperatorExampleTests.LastCondition(o) == "Succeeded", what: "Succeeded");
        var pods = await _client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "training.kubeflow.org/job-name=mnist");
        var master = await _client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "training.kubeflow.org/job-name=mnist,training.kubeflow.org/job-role=master");

        var conditions = job["status"]!["conditions"]!.AsArray().Select(c => (c.Text("type"), c.Text("status"), c.Text("reason"))).ToList();
        Assert.Equal([("Created", "True", "PyTorchJobCreated"), ("Running", "False", "PyTorchJobRunning"), ("Succeeded", "True", "PyTorchJobSucceeded")], conditions);
        Assert.Equal("2", job.Text("status.replicaStatuses.Worker.succeeded"));
        Assert.Equal(["mnist-master-0", "mnist-worker-0", "mnist-worker-1"], pods.Items.Select(p => p.Metadata.Name).Order());
        Assert.Equal("mnist-master-0", Assert.Single(master.Items).Metadata.Name);
        Assert.All(pods.Items, p => Assert.Equal("Succeeded", p.Status.Phase));
    }

    [Fact]
    public async Task A_training_job_annotated_to_fail_fails_worker_0_with_the_message()
    {
        var ns = await sandbox.NamespaceAsync("torchfail");
        await _client.CustomObjects.CreateNamespacedCustomObjectAsync(PyTorch("bad", workers: 2, fail: "CUDA out of memory"), "kubeflow.org", "v1", ns, "pytorchjobs");

        var job = await Eventually.Until(async () => AsNode(await _client.CustomObjects.GetNamespacedCustomObjectAsync("kubeflow.org", "v1", ns, "pytorchjobs", "bad")),
            o => OperatorExampleTests.LastCondition(o) == "Failed", what: "Failed");
        var worker = await _client.CoreV1.ReadNamespacedPodAsync("bad-worker-0", ns);

        var failed = job["status"]!["conditions"]!.AsArray()[^1]!;
        Assert.Equal("PyTorchJobFailed", failed.Text("reason"));
        Assert.Equal("PyTorchJob bad is failed because 1 Worker replica(s) failed.", failed.Text("message"));
        Assert.Equal("CUDA out of memory", worker.Status.ContainerStatuses[0].State.Terminated.Message);
        Assert.Equal("Failed", worker.Status.Phase);
    }

    [Fact]
    public async Task The_driver_log_follows_until_the_driver_ends()
    {
        var ns = await sandbox.NamespaceAsync("logs");
        await _client.CustomObjects.CreateNamespacedCustomObjectAsync(Spark("pi", duration: "5s"), SparkGroup, SparkVersion, ns, SparkPlural);
        // Long enough that a slow machine's poll still sees it RUNNING.
        await UntilSparkState(ns, "pi", "RUNNING");

        await using var stream = await _client.CoreV1.ReadNamespacedPodLogAsync("pi-driver", ns, container: "spark-kubernetes-driver", follow: true);
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (await reader.ReadLineAsync() is { } line)
        {
            lines.Add(line);
        }
        await using var tail = await _client.CoreV1.ReadNamespacedPodLogAsync("pi-driver", ns, tailLines: 1, timestamps: true);
        var last = await new StreamReader(tail).ReadToEndAsync();

        Assert.True(lines.Count >= 3, string.Join('\n', lines));
        Assert.Contains("Running Spark version", lines[0], StringComparison.Ordinal);
        Assert.Equal("Pi is roughly 3.1415926 (sandbox)", lines[^1]);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z Pi is roughly", last);
        Assert.Equal("Succeeded", (await _client.CoreV1.ReadNamespacedPodAsync("pi-driver", ns)).Status.Phase);
    }

    [Fact]
    public async Task Deleting_the_custom_resource_deletes_its_pods_and_services()
    {
        var ns = await sandbox.NamespaceAsync("cascade");
        await _client.CustomObjects.CreateNamespacedCustomObjectAsync(Spark("pi", duration: "1h"), SparkGroup, SparkVersion, ns, SparkPlural);
        await Eventually.Until(async () => (await _client.CoreV1.ListNamespacedPodAsync(ns)).Items.Count, n => n == 2, what: "driver and executor");

        await _client.CustomObjects.DeleteNamespacedCustomObjectAsync(SparkGroup, SparkVersion, ns, SparkPlural, "pi");

        await Eventually.Until(async () => (await _client.CoreV1.ListNamespacedPodAsync(ns)).Items.Count + (await _client.CoreV1.ListNamespacedServiceAsync(ns)).Items.Count, n => n == 0, what: "pods and services gone");
    }

    internal static JsonObject PyTorch(string name, int workers, string? duration = null, string? fail = null, string workerCpu = "100m")
    {
        var annotations = new JsonObject();
        if (duration is not null)
        {
            annotations["sandbox.gantry.io/duration"] = duration;
        }
        if (fail is not null)
        {
            annotations["sandbox.gantry.io/fail"] = fail;
        }
        JsonObject Replica(int count, string cpu) => new()
        {
            ["replicas"] = count,
            ["restartPolicy"] = "Never",
            ["template"] = new JsonObject
            {
                ["spec"] = new JsonObject
                {
                    ["containers"] = new JsonArray(new JsonObject
                    {
                        ["name"] = "pytorch",
                        ["image"] = "pytorch:latest",
                        ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = cpu, ["memory"] = "256Mi" } },
                    }),
                },
            },
        };
        return new JsonObject
        {
            ["apiVersion"] = "kubeflow.org/v1",
            ["kind"] = "PyTorchJob",
            ["metadata"] = new JsonObject { ["name"] = name, ["annotations"] = annotations },
            ["spec"] = new JsonObject
            {
                ["pytorchReplicaSpecs"] = new JsonObject { ["Master"] = Replica(1, "100m"), ["Worker"] = Replica(workers, workerCpu) },
            },
        };
    }
}
