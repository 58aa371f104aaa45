using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Core.Jobs;
using Gantry.Core.Kinds.Trainer;
using Gantry.Core.Validation;
using static Gantry.Core.Tests.Support.Manifests;

namespace Gantry.Core.Tests.Kinds.Trainer;

public class TrainJobKindTests
{
    private readonly TrainJobKind _kind = new();

    [Theory]
    [MemberData(nameof(TrainerExamples.TrainJobFiles), MemberType = typeof(TrainerExamples))]
    public void Every_upstream_TrainJob_is_valid_by_itself(string file)
    {
        var errors = new ValidationErrors();

        _kind.Analyze(TrainerExamples.TrainJob(file), errors);

        Assert.True(errors.IsEmpty, string.Join("; ", errors.ToDictionary().Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
    }

    [Fact]
    public void The_multi_step_example_is_refused_against_its_runtime_because_the_initializer_mounts_no_initializer_volume()
    {
        var errors = new ValidationErrors();

        _kind.Resolve(TrainerExamples.TrainJob("yaml_05-multi-step.trainjob.yaml"), TrainerExamples.Runtime("torch-with-dataset-init"), errors);

        var messages = errors.ToDictionary();
        Assert.Contains("volumeMount named initializer", Assert.Single(messages["manifest.spec.initializer.dataset"]));
    }

    [Fact]
    public void A_reserved_torch_variable_in_trainer_env_is_refused_naming_the_entry()
    {
        var job = FromYaml("""
            apiVersion: trainer.kubeflow.org/v1alpha1
            kind: TrainJob
            metadata: {name: tj}
            spec:
              runtimeRef: {name: torch-distributed}
              trainer:
                env: [{name: A, value: "1"}, {name: PET_MASTER_ADDR, value: x}]
            """);
        var errors = new ValidationErrors();

        _kind.Resolve(job, TrainerExamples.Runtime("torch-distributed"), errors);

        Assert.True(errors.Has("manifest.spec.trainer.env[1].name"));
    }

    [Theory]
    [InlineData("metadata/name", "Bad_Name", "manifest.metadata.name")]
    [InlineData("spec/runtimeRef/kind", "Runtime", "manifest.spec.runtimeRef.kind")]
    [InlineData("spec/trainer/numNodes", 0, "manifest.spec.trainer.numNodes")]
    [InlineData("spec/managedBy", "someone/else", "manifest.spec.managedBy")]
    [InlineData("spec/trainer/resourcesPerNode/requests/cpu", "two", "manifest.spec.trainer.resourcesPerNode.requests.cpu")]
    public void Bad_fields_are_named(string path, object value, string field)
    {
        var job = TrainerExamples.TrainJob("yaml_01-multi-node.yaml").Set(path, Node(value));
        var errors = new ValidationErrors();

        _kind.Analyze(job, errors);

        Assert.True(errors.Has(field), string.Join("; ", errors.ToDictionary().Keys));
    }

    [Fact]
    public void A_patch_naming_a_job_the_runtime_lacks_is_refused()
    {
        var job = TrainerExamples.TrainJob("yaml_02-runtime-patches.yaml");
        job["spec"]!["runtimePatches"]![0]!["trainingRuntimeSpec"]!["template"]!["spec"]!["replicatedJobs"]![0]!["name"] = "worker";
        var errors = new ValidationErrors();

        _kind.Resolve(job, TrainerExamples.Runtime("torch-distributed"), errors);

        Assert.True(errors.Has("manifest.spec.runtimePatches[0].trainingRuntimeSpec.template.spec.replicatedJobs[0].name"));
    }

    [Theory]
    [InlineData("""{"conditions":[{"type":"Complete","status":"True","reason":"AllJobsCompleted","message":"jobset completed successfully"}]}""",
        JobState.Succeeded, "AllJobsCompleted: jobset completed successfully")]
    [InlineData("""{"conditions":[{"type":"Failed","status":"True","reason":"FailedJobs","message":"jobset failed due to one or more job failures (first failed job: tj-node-0)"}]}""",
        JobState.Failed, "FailedJobs: jobset failed due to one or more job failures (first failed job: tj-node-0)")]
    [InlineData("""{"jobsStatus":[{"name":"node","active":1,"ready":0,"succeeded":0,"failed":0,"suspended":0}]}""", JobState.Running, "running: replicated job node is active")]
    [InlineData("""{}""", JobState.Submitted, "created; waiting for the Trainer controller and JobSet to start the trainer pods")]
    public void Conditions_map_onto_states(string status, JobState state, string message)
    {
        var (actual, words, _) = TrainJobConditions.Map(JsonDocument.Parse(status).RootElement);

        Assert.Equal(state, actual);
        Assert.Equal(message, words);
    }

    [Fact]
    public void A_suspended_TrainJob_says_so()
    {
        var (state, words, phase) = TrainJobConditions.Map(JsonDocument.Parse(
            """{"conditions":[{"type":"Suspended","status":"True","reason":"Suspended","message":"TrainJob is suspended"}]}""").RootElement);

        Assert.Equal(JobState.Submitted, state);
        Assert.Equal("Suspended", phase);
        Assert.StartsWith("Suspended: Suspended: TrainJob is suspended", words);
    }

    [Fact]
    public void Torch_env_gives_each_node_its_rank_and_the_master_of_node_0()
    {
        var job = TrainerExamples.TrainJob("yaml_01-multi-node.yaml");
        var resolved = _kind.Resolve(job, TrainerExamples.Runtime("torch-distributed"), new ValidationErrors());

        var env = TrainerEnv.InCluster("multi-node-example").For(resolved, job, 2).ToDictionary(e => e.Name, e => e.Value);

        Assert.Equal("3", env["PET_NNODES"]);
        Assert.Equal("2", env["PET_NODE_RANK"]);
        Assert.Equal("multi-node-example-node-0-0.multi-node-example", env["PET_MASTER_ADDR"]);
        Assert.Equal("29500", env["PET_MASTER_PORT"]);
        // resourcesPerNode asks for nvidia.com/gpu 1 in that example? No: it asks cpu, so the count is the cpu.
        Assert.Equal(TrainerEnv.ProcPerNode(resolved, job["spec"]!["trainer"] as JsonObject), env["PET_NPROC_PER_NODE"]);
    }

    [Fact]
    public void Jax_env_names_the_coordinator_with_its_port()
    {
        var job = FromYaml("""
            kind: TrainJob
            metadata: {name: j}
            spec: {runtimeRef: {name: jax-distributed}, trainer: {numNodes: 2}}
            """);
        var resolved = _kind.Resolve(job, TrainerExamples.Runtime("jax-distributed"), new ValidationErrors());

        var env = new TrainerEnv("127.0.0.1", 4321).For(resolved, job, 1).ToDictionary(e => e.Name, e => e.Value);

        Assert.Equal(new Dictionary<string, string> { ["JAX_NUM_PROCESSES"] = "2", ["JAX_PROCESS_ID"] = "1", ["JAX_COORDINATOR_ADDRESS"] = "127.0.0.1:4321" }, env);
    }

    [Theory]
    [InlineData("""{numProcPerNode: 3}""", "3")]
    [InlineData("""{resourcesPerNode: {limits: {nvidia.com/gpu: 1}}}""", "auto")]
    [InlineData("""{resourcesPerNode: {requests: {cpu: 1500m}}}""", "2")]
    [InlineData("""{resourcesPerNode: {limits: {cpu: "4"}}}""", "4")]
    public void PET_NPROC_PER_NODE_follows_the_plugin_rule(string trainer, string expected)
    {
        var job = FromYaml($$"""
            kind: TrainJob
            metadata: {name: t}
            spec: {runtimeRef: {name: torch-distributed}, trainer: {{trainer}}}
            """);
        var resolved = _kind.Resolve(job, TrainerExamples.Runtime("torch-distributed"), new ValidationErrors());

        Assert.Equal(expected, TrainerEnv.ProcPerNode(resolved, job["spec"]!["trainer"] as JsonObject));
    }
}
