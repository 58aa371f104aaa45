using System.Text.Json.Nodes;
using Gantry.Core.Kinds;
using Gantry.Core.Tests.Support;
using static Gantry.Core.Tests.Support.Manifests;
using R = Gantry.Core.Resources.Resources;

namespace Gantry.Core.Tests.Kinds;

public class PyTorchJobKindTests
{
    private const string Workers = "manifest.spec.pytorchReplicaSpecs.Worker";

    private readonly PyTorchJobKind _kind = new();

    // Counts nothing for a container without requests, as the kind did before the default existed.
    private readonly PyTorchJobKind _noDefault = new(R.Zero);

    /// <summary>The training-operator reference §9 example: Master x1 and Worker x3, each 4 CPU, 16Gi, 1 GPU.</summary>
    private static JsonObject ReferenceExample() => FromYaml("""
        apiVersion: kubeflow.org/v1
        kind: PyTorchJob
        metadata:
          name: g-4q8z1m
        spec:
          nprocPerNode: "1"
          pytorchReplicaSpecs:
            Master:
              replicas: 1
              restartPolicy: OnFailure
              template:
                spec:
                  containers:
                  - name: pytorch
                    image: registry.example.com/train:1.4
                    resources:
                      requests: {cpu: "4", memory: 16Gi, nvidia.com/gpu: "1"}
                      limits:   {nvidia.com/gpu: "1"}
            Worker:
              replicas: 3
              restartPolicy: OnFailure
              template:
                spec:
                  containers:
                  - name: pytorch
                    image: registry.example.com/train:1.4
                    resources:
                      requests: {cpu: "4", memory: 16Gi, nvidia.com/gpu: "1"}
                      limits:   {nvidia.com/gpu: "1"}
        """);

    private static JsonObject WorkerContainer(JsonObject manifest) =>
        (JsonObject)manifest["spec"]!["pytorchReplicaSpecs"]!["Worker"]!["template"]!["spec"]!["containers"]![0]!;

    [Fact]
    public void Reference_example_totals_16_cpu_64Gi_and_4_gpus_in_master_then_worker_order()
    {
        var demand = _kind.AnalyzeValid(ReferenceExample());

        Assert.Equal(["master", "worker"], demand.Pods.Select(p => p.Role));
        Assert.Equal(1, demand.Role("master").Count);
        Assert.Equal(3, demand.Role("worker").Count);
        Assert.Equal(new R(4000, 16 * GiB, 1), demand.Role("worker").PerPod);
        Assert.Equal(new R(16000, 64 * GiB, 4), demand.Total);
    }

    [Fact]
    public void Workers_without_requests_still_ask_for_the_init_pytorch_container_when_a_Master_exists()
    {
        var manifest = ReferenceExample();
        WorkerContainer(manifest).Remove("resources");

        var demand = _noDefault.AnalyzeValid(manifest);

        Assert.Equal(new R(50, 10 * MiB, 0), demand.Role("worker").PerPod);
        Assert.Equal(new R(4000, 16 * GiB, 1), demand.Role("master").PerPod);
    }

    [Fact]
    public void Without_a_Master_workers_get_no_init_container()
    {
        var manifest = ReferenceExample().Without("spec/pytorchReplicaSpecs/Master");
        WorkerContainer(manifest).Remove("resources");

        var demand = _noDefault.AnalyzeValid(manifest);

        Assert.Equal(new R(0, 0, 0), Assert.Single(demand.Pods).PerPod);
        Assert.Equal(3, demand.PodCount);
    }

    [Fact]
    public void A_container_without_requests_counts_the_documented_default_of_1_cpu_and_1GiB()
    {
        var manifest = ReferenceExample();
        WorkerContainer(manifest).Remove("resources");

        var demand = _kind.AnalyzeValid(manifest);

        // The default (1 cpu, 1Gi) is above the init-pytorch floor (50m, 10Mi), so it is what counts.
        Assert.Equal(new R(1000, GiB, 0), demand.Role("worker").PerPod);
        Assert.Equal(TrainingJobKind.DefaultContainerRequest, new R(1000, GiB, 0));
    }

    [Fact]
    public void The_default_fills_each_resource_a_container_does_not_request_and_each_app_container_gets_it()
    {
        var manifest = ReferenceExample();
        WorkerContainer(manifest)["resources"] = FromYaml("{requests: {cpu: 250m}, limits: {nvidia.com/gpu: 1}}");
        var podSpec = (JsonObject)manifest["spec"]!["pytorchReplicaSpecs"]!["Worker"]!["template"]!["spec"]!;
        podSpec["containers"]!.AsArray().Add(FromYaml("{name: sidecar, image: busybox}"));
        // Init containers run one at a time before the app: they get no default.
        podSpec["initContainers"] = new JsonArray(FromYaml("{name: fetch, image: busybox}"));
        var kind = new PyTorchJobKind(new R(500, 2 * GiB, 0));

        var worker = kind.AnalyzeValid(manifest).Role("worker").PerPod;

        // pytorch: 250m requested + 2Gi default; sidecar: 500m + 2Gi defaults.
        Assert.Equal(new R(750, 4 * GiB, 1), worker);
    }

    [Fact]
    public void A_missing_request_falls_back_to_the_limit_resource_by_resource()
    {
        var manifest = ReferenceExample();
        WorkerContainer(manifest)["resources"] = new JsonObject
        {
            ["requests"] = new JsonObject { ["cpu"] = "1" },
            ["limits"] = new JsonObject { ["cpu"] = "2", ["memory"] = "1Gi", ["nvidia.com/gpu"] = 2 },
        };

        Assert.Equal(new R(1000, GiB, 2), _kind.AnalyzeValid(manifest).Role("worker").PerPod);
    }

    [Fact]
    public void App_containers_add_up_and_the_largest_init_container_sets_a_floor()
    {
        var manifest = ReferenceExample();
        var podSpec = (JsonObject)manifest["spec"]!["pytorchReplicaSpecs"]!["Worker"]!["template"]!["spec"]!;
        podSpec["containers"]!.AsArray().Add(FromYaml("""
            name: sidecar
            image: busybox
            resources: {requests: {cpu: 500m, memory: 1Gi}}
            """));
        podSpec["initContainers"] = new JsonArray(
            FromYaml("{name: fetch, image: busybox, resources: {requests: {cpu: '8', memory: 1Gi}}}"),
            FromYaml("{name: warm, image: busybox, resources: {requests: {cpu: '1', memory: 32Gi}}}"));

        var worker = _kind.AnalyzeValid(manifest).Role("worker").PerPod;

        // cpu: max(4 + 0.5, 8); memory: max(16Gi + 1Gi, 32Gi); gpu from the app container.
        Assert.Equal(new R(8000, 32 * GiB, 1), worker);
    }

    [Fact]
    public void Gpus_of_any_vendor_named_slash_gpu_are_counted()
    {
        var manifest = ReferenceExample();
        WorkerContainer(manifest)["resources"] = FromYaml("{limits: {amd.com/gpu: 2, example.com/fpga: 1}}");

        Assert.Equal(2, _kind.AnalyzeValid(manifest).Role("worker").PerPod.Gpu);
    }

    [Fact]
    public void Replica_types_are_matched_case_insensitively_and_errors_keep_the_key_as_written()
    {
        var manifest = ReferenceExample();
        var specs = manifest["spec"]!["pytorchReplicaSpecs"]!.AsObject();
        var worker = specs["Worker"]!.DeepClone();
        specs.Remove("Worker");
        specs["worker"] = worker;

        Assert.Equal(["master", "worker"], _kind.AnalyzeValid(manifest).Pods.Select(p => p.Role));

        worker["replicas"] = 0;
        AssertError(_kind.AnalyzeErrors(manifest), "manifest.spec.pytorchReplicaSpecs.worker.replicas", "must be at least 1");
    }

    [Fact]
    public void Replicas_default_to_one()
    {
        var manifest = ReferenceExample().Without("spec/pytorchReplicaSpecs/Worker/replicas");

        Assert.Equal(1, _kind.AnalyzeValid(manifest).Role("worker").Count);
    }

    [Fact]
    public void The_same_replica_type_twice_under_different_spellings_is_an_error()
    {
        var manifest = ReferenceExample();
        manifest["spec"]!["pytorchReplicaSpecs"]!["WORKER"] = manifest["spec"]!["pytorchReplicaSpecs"]!["Worker"]!.DeepClone();

        AssertError(_kind.AnalyzeErrors(manifest), "manifest.spec.pytorchReplicaSpecs.WORKER", "repeats the Worker replica type");
    }

    [Theory]
    [InlineData("spec/pytorchReplicaSpecs/Master/replicas", 2, "manifest.spec.pytorchReplicaSpecs.Master.replicas", "must be exactly 1")]
    [InlineData("spec/pytorchReplicaSpecs/Master/replicas", 0, "manifest.spec.pytorchReplicaSpecs.Master.replicas", "must be exactly 1")]
    [InlineData("spec/pytorchReplicaSpecs/Worker/replicas", 0, $"{Workers}.replicas", "must be at least 1")]
    [InlineData("spec/pytorchReplicaSpecs/Worker/replicas", "3", $"{Workers}.replicas", "must be a whole number")]
    [InlineData("spec/pytorchReplicaSpecs/Worker/restartPolicy", "Sometimes", $"{Workers}.restartPolicy", "'Sometimes' is not one of")]
    [InlineData("spec/pytorchReplicaSpecs/Chief", "x", "manifest.spec.pytorchReplicaSpecs.Chief", "'Chief' is not a PyTorchJob replica type (allowed: Master, Worker)")]
    [InlineData("spec/pytorchReplicaSpecs/Worker/template", "x", $"{Workers}.template", "must be an object")]
    [InlineData("spec/nprocPerNode", "lots", "manifest.spec.nprocPerNode", "must be auto, cpu, gpu or a whole number")]
    [InlineData("spec/nprocPerNode", 2, "manifest.spec.nprocPerNode", "must be a string")]
    [InlineData("spec/runPolicy/backoffLimit", -1, "manifest.spec.runPolicy.backoffLimit", "must be at least 0")]
    [InlineData("spec/runPolicy/backoffLimit", "3", "manifest.spec.runPolicy.backoffLimit", "must be a whole number")]
    [InlineData("spec/runPolicy/activeDeadlineSeconds", 0, "manifest.spec.runPolicy.activeDeadlineSeconds", "must be at least 1")]
    [InlineData("apiVersion", "kubeflow.org/v2", "manifest.apiVersion", "must be kubeflow.org/v1 for a PyTorchJob")]
    [InlineData("metadata", 3, "manifest.metadata", "must be an object")]
    public void Bad_fields_are_reported_at_their_full_path(string path, object value, string field, string fragment)
    {
        AssertError(_kind.AnalyzeErrors(ReferenceExample().Set(path, Node(value))), field, fragment);
    }

    [Theory]
    [InlineData("requests", "cpu", "-1", "'-1' is negative; a quantity must be zero or more")]
    [InlineData("requests", "cpu", "four", "'four' is not a Kubernetes quantity")]
    [InlineData("requests", "memory", "16GB", "'16GB' is not a Kubernetes quantity")]
    [InlineData("limits", "memory", "-1Gi", "is negative")]
    [InlineData("requests", "nvidia.com/gpu", "0.5", "'0.5' must be a whole number of GPUs")]
    [InlineData("requests", "ephemeral-storage", "lots", "'lots' is not a Kubernetes quantity")]
    public void Bad_container_quantities_name_the_exact_field(string section, string resource, string value, string fragment)
    {
        var manifest = ReferenceExample();
        WorkerContainer(manifest)["resources"]![section]![resource] = value;

        AssertError(_kind.AnalyzeErrors(manifest), $"{Workers}.template.spec.containers[0].resources.{section}.{resource}", fragment);
    }

    [Fact]
    public void The_pytorch_container_is_required()
    {
        var manifest = ReferenceExample();
        WorkerContainer(manifest)["name"] = "trainer";

        AssertError(_kind.AnalyzeErrors(manifest), $"{Workers}.template.spec.containers", "must include a container named 'pytorch'");
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void The_pytorch_container_needs_an_image(string? image)
    {
        var manifest = ReferenceExample();
        WorkerContainer(manifest)["image"] = image;

        AssertError(_kind.AnalyzeErrors(manifest), $"{Workers}.template.spec.containers[0].image", image is null ? "is required" : "must not be empty");
    }

    [Fact]
    public void Containers_must_be_a_non_empty_list_of_named_objects()
    {
        var empty = ReferenceExample().Set("spec/pytorchReplicaSpecs/Worker/template/spec/containers", new JsonArray());
        var odd = ReferenceExample();
        odd["spec"]!["pytorchReplicaSpecs"]!["Worker"]!["template"]!["spec"]!["containers"]!.AsArray().Add("sidecar");
        odd["spec"]!["pytorchReplicaSpecs"]!["Worker"]!["template"]!["spec"]!["containers"]!.AsArray().Add(new JsonObject());

        AssertError(_kind.AnalyzeErrors(empty), $"{Workers}.template.spec.containers", "must list at least one container");
        var errors = _kind.AnalyzeErrors(odd);
        AssertError(errors, $"{Workers}.template.spec.containers[1]", "must be an object");
        AssertError(errors, $"{Workers}.template.spec.containers[2].name", "is required");
    }

    [Fact]
    public void Replica_specs_are_required_and_must_not_be_empty()
    {
        AssertError(_kind.AnalyzeErrors(ReferenceExample().Without("spec/pytorchReplicaSpecs")), "manifest.spec.pytorchReplicaSpecs", "is required");
        AssertError(
            _kind.AnalyzeErrors(ReferenceExample().Set("spec/pytorchReplicaSpecs", new JsonObject())),
            "manifest.spec.pytorchReplicaSpecs",
            "must define at least one replica type (Master, Worker)");
    }

    [Fact]
    public void Elastic_policy_needs_workers_and_a_sane_range()
    {
        var noWorkers = ReferenceExample()
            .Without("spec/pytorchReplicaSpecs/Worker")
            .Set("spec/elasticPolicy", new JsonObject { ["minReplicas"] = 1, ["maxReplicas"] = 2 });
        var backwards = ReferenceExample().Set("spec/elasticPolicy", new JsonObject { ["minReplicas"] = 4, ["maxReplicas"] = 2 });

        AssertError(_kind.AnalyzeErrors(noWorkers), "manifest.spec.elasticPolicy", "needs a Worker replica spec");
        AssertError(_kind.AnalyzeErrors(backwards), "manifest.spec.elasticPolicy.maxReplicas", "must be at least minReplicas (4)");
    }

    [Fact]
    public void Deprecated_elastic_nProcPerNode_cannot_be_combined_with_nprocPerNode()
    {
        var manifest = ReferenceExample().Set("spec/elasticPolicy", new JsonObject { ["nProcPerNode"] = 2 });

        AssertError(_kind.AnalyzeErrors(manifest), "manifest.spec.elasticPolicy.nProcPerNode", "cannot be set together with spec.nprocPerNode");
    }

    [Fact]
    public void Absurd_replica_counts_are_an_error_not_a_wrapped_total()
    {
        var manifest = ReferenceExample().Set("spec/pytorchReplicaSpecs/Worker/replicas", int.MaxValue);
        WorkerContainer(manifest)["resources"]!["requests"]!["memory"] = "7Ei";

        AssertError(_kind.AnalyzeErrors(manifest), "manifest.spec", "too large to represent");
    }

    [Fact]
    public void Every_training_operator_example_file_holds_a_PyTorchJob_or_a_JAXJob()
    {
        Assert.NotEmpty(TrainingExamples.AllFiles);
        Assert.All(TrainingExamples.AllFiles, file =>
            Assert.NotEmpty(ExampleManifests.Load("training-operator", file, "PyTorchJob", "JAXJob")));
    }

    public static TheoryData<string> PyTorchExamples => TrainingExamples.Files("PyTorchJob");

    [Theory]
    [MemberData(nameof(PyTorchExamples))]
    public void Every_training_operator_PyTorchJob_example_is_valid_with_pods_to_place(string file)
    {
        foreach (var manifest in TrainingExamples.Load(file, "PyTorchJob"))
        {
            var demand = _kind.AnalyzeValid(manifest);

            // Most upstream examples request nothing; each container still counts the default, so no pod is free.
            Assert.True(demand.PodCount > 0, file);
            Assert.All(demand.Pods, pod => Assert.True(pod.Count > 0, $"{file}: {pod.Role}"));
            Assert.All(demand.Pods, pod => Assert.True(pod.PerPod.CpuMillis >= 1000 && pod.PerPod.MemoryBytes >= GiB, $"{file}: {pod.Role} {pod.PerPod}"));
        }
    }

    [Theory]
    // Master + 3 workers, no requests: 1 cpu and 1Gi each by default (above the workers' init-pytorch, 50m and 10Mi).
    [InlineData("pytorch_smoke-dist_pytorch_job_sendrecv.yaml", 4000, 4096, 0, 4)]
    // One GPU limit per pod (requests default to limits); cpu and memory by default.
    [InlineData("pytorch_mnist_v1_pytorch_job_mnist_gloo.yaml", 2000, 2048, 2, 2)]
    // Elastic, no Master: two workers with no requests, 1 cpu and 1Gi each by default.
    [InlineData("pytorch_elastic_echo_echo.yaml", 2000, 2048, 0, 2)]
    public void PyTorchJob_examples_have_the_demand_computed_by_hand(string file, long cpuMillis, long memoryMiB, long gpus, int pods)
    {
        var demand = _kind.AnalyzeValid(Assert.Single(TrainingExamples.Load(file, "PyTorchJob")));

        Assert.Equal(new R(cpuMillis, memoryMiB * MiB, gpus), demand.Total);
        Assert.Equal(pods, demand.PodCount);
    }
}
