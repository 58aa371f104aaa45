using System.Text.Json.Nodes;
using Gantry.Core.Kinds.Trainer;
using Gantry.Core.Resources;
using Gantry.Core.Validation;
using static Gantry.Core.Tests.Support.Manifests;
using R = Gantry.Core.Resources.Resources;

namespace Gantry.Core.Tests.Kinds.Trainer;

/// <summary>The gang of a TrainJob on one runtime, checked by hand against the trainer reference §3 for each shipped runtime shape.</summary>
public class TrainJobDemandTests
{
    private readonly TrainJobKind _kind = new();
    private readonly TrainJobKind _noDefault = new(R.Zero);

    private static JsonObject Job(string runtime, string trainer = "") => FromYaml($"""
        apiVersion: trainer.kubeflow.org/v1alpha1
        kind: TrainJob
        metadata: {"{name: tj}"}
        spec:
          runtimeRef: {"{name: " + runtime + "}"}
        {trainer}
        """);

    private ResolvedTrainJob Resolve(TrainJobKind kind, JsonObject job, string runtime)
    {
        var errors = new ValidationErrors();
        kind.Analyze(job, errors);
        var resolved = kind.Resolve(job, TrainerExamples.Runtime(runtime), errors);
        Assert.True(errors.IsEmpty, string.Join("; ", errors.ToDictionary().Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
        return resolved;
    }

    [Fact]
    public void Torch_distributed_with_three_nodes_of_2_cpu_and_4Gi_is_three_such_pods()
    {
        var job = Job("torch-distributed", """
              trainer:
                numNodes: 3
                resourcesPerNode: {requests: {cpu: "2", memory: 4Gi}}
            """);

        var demand = Resolve(_kind, job, "torch-distributed").Demand();

        var pod = Assert.Single(demand.Pods);
        Assert.Equal(new PodDemand("node", 3, new R(2000, 4 * GiB, 0)), pod);
    }

    [Fact]
    public void Without_numNodes_the_runtime_gives_one_node_with_the_default_container_request()
    {
        var demand = Resolve(_kind, Job("torch-distributed"), "torch-distributed").Demand();

        Assert.Equal(new PodDemand("node", 1, new R(1000, GiB, 0)), Assert.Single(demand.Pods));
    }

    [Fact]
    public void Deepspeed_with_four_nodes_and_one_gpu_is_a_launcher_and_three_nodes_each_with_a_gpu()
    {
        var job = Job("deepspeed-distributed", """
              trainer:
                numNodes: 4
                resourcesPerNode: {limits: {nvidia.com/gpu: 1}}
            """);

        var resolved = Resolve(_kind, job, "deepspeed-distributed");
        var demand = resolved.Demand();

        Assert.Equal(4, demand.PodCount);
        Assert.Equal(4, demand.Total.Gpu);
        Assert.Equal(3, demand.Pods.Single(p => p.Role == "node").Count);
        Assert.Equal(1, demand.Pods.Single(p => p.Role == "launcher").Count);
        Assert.Equal("launcher", resolved.Trainer!.Name);
    }

    [Fact]
    public void Jax_distributed_gives_one_pod_per_node()
    {
        var job = Job("jax-distributed", """
              trainer:
                numNodes: 2
                resourcesPerNode: {requests: {cpu: "1", memory: 2Gi}}
            """);

        var demand = Resolve(_kind, job, "jax-distributed").Demand();

        Assert.Equal(new PodDemand("node", 2, new R(1000, 2 * GiB, 0)), Assert.Single(demand.Pods));
    }

    [Fact]
    public void Torchtune_counts_its_limit_only_gpus_and_places_the_larger_stage_when_initializers_request_nothing()
    {
        var resolved = Resolve(_noDefault, Job("torchtune-llama3.2-1b"), "torchtune-llama3.2-1b");

        Assert.True(resolved.Staged);
        Assert.Equal(new R(0, 0, 2), resolved.Sum);
        // The best-effort initializers fit within the trainer stage, so the trainer stage is the peak.
        Assert.Equal(new PodDemand("node", 1, new R(0, 0, 2)), Assert.Single(resolved.Demand().Pods));
    }

    [Fact]
    public void Torchtune_with_the_default_container_request_counts_both_stages_when_neither_contains_the_other()
    {
        var demand = Resolve(_kind, Job("torchtune-llama3.2-1b"), "torchtune-llama3.2-1b").Demand();

        // Initializers: 2 x (1 cpu, 1Gi); trainer: 1 x (1 cpu, 1Gi, 2 GPUs). Neither total fits in the other.
        Assert.Equal(3, demand.PodCount);
        Assert.Equal(new R(3000, 3 * GiB, 2), demand.Total);
    }

    [Fact]
    public void ResourcesPerNode_is_merged_key_by_key_into_the_runtime_container_as_v2_3_does()
    {
        var runtime = TrainingRuntime.FromObject(FromYaml("""
            kind: ClusterTrainingRuntime
            metadata: {name: gpu-torch}
            spec:
              mlPolicy: {torch: {}}
              template:
                spec:
                  replicatedJobs:
                  - name: node
                    template:
                      metadata: {labels: {trainer.kubeflow.org/trainjob-ancestor-step: trainer}}
                      spec:
                        template:
                          spec:
                            containers:
                            - name: node
                              image: x
                              resources: {requests: {cpu: "4"}, limits: {nvidia.com/gpu: 2}}
            """))!;
        var job = Job("gpu-torch", """
              trainer:
                numNodes: 2
                resourcesPerNode: {requests: {memory: 8Gi}}
            """);
        var errors = new ValidationErrors();

        var demand = _kind.Resolve(job, runtime, errors).Demand();

        Assert.True(errors.IsEmpty);
        Assert.Equal(new PodDemand("node", 2, new R(4000, 8 * GiB, 2)), Assert.Single(demand.Pods));
    }

    [Theory]
    [InlineData("yaml_01-multi-node.yaml", "torch-distributed", 3)]
    [InlineData("yaml_02-runtime-patches.yaml", "torch-distributed", 2)]
    [InlineData("yaml_04-volcano-integration.trainjob.yaml", "torch-distributed-volcano", 4)]
    [InlineData("docs_migration.pytorch-simple.yaml", "torch-distributed", 2)]
    public void Upstream_examples_resolve_on_their_runtime_to_their_node_count(string file, string runtime, int nodes)
    {
        var resolved = Resolve(_kind, TrainerExamples.TrainJob(file), runtime);

        Assert.Equal(nodes, resolved.NumNodes);
    }
}
