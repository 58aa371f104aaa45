using System.Text.Json.Nodes;
using Gantry.Core.Kinds;
using Gantry.Core.Tests.Support;
using static Gantry.Core.Tests.Support.Manifests;
using R = Gantry.Core.Resources.Resources;

namespace Gantry.Core.Tests.Kinds;

public class JaxJobKindTests
{
    private const string Workers = "manifest.spec.jaxReplicaSpecs.Worker";

    private readonly JaxJobKind _kind = new();

    private static JsonObject TwoWorkers() => FromYaml("""
        apiVersion: kubeflow.org/v1
        kind: JAXJob
        metadata:
          name: g-9d2k7a
        spec:
          jaxReplicaSpecs:
            Worker:
              replicas: 2
              restartPolicy: Never
              template:
                spec:
                  containers:
                  - name: jax
                    image: registry.example.com/jax-train:0.4
                    command: ["python3", "train.py"]
                    resources:
                      requests: {cpu: 1500m, memory: 6Gi}
                      limits: {nvidia.com/gpu: 1}
        """);

    [Fact]
    public void Two_workers_ask_for_twice_the_pod_request_with_no_init_container()
    {
        var demand = _kind.AnalyzeValid(TwoWorkers());

        var worker = Assert.Single(demand.Pods);
        Assert.Equal("worker", worker.Role);
        Assert.Equal(2, worker.Count);
        Assert.Equal(new R(1500, 6 * GiB, 1), worker.PerPod);
        Assert.Equal(new R(3000, 12 * GiB, 2), demand.Total);
    }

    [Fact]
    public void Kind_lives_at_kubeflow_org_v1_jaxjobs()
    {
        Assert.Equal("JAXJob", _kind.Name);
        Assert.Equal("kubeflow.org/v1", _kind.Resource.ApiVersion);
        Assert.Equal("jaxjobs", _kind.Resource.Plural);
    }

    [Fact]
    public void A_Master_replica_type_is_not_a_JAXJob_type()
    {
        var manifest = TwoWorkers();
        manifest["spec"]!["jaxReplicaSpecs"]!["Master"] = manifest["spec"]!["jaxReplicaSpecs"]!["Worker"]!.DeepClone();

        AssertError(_kind.AnalyzeErrors(manifest), "manifest.spec.jaxReplicaSpecs.Master", "'Master' is not a JAXJob replica type (allowed: Worker)");
    }

    [Fact]
    public void The_jax_container_is_required_and_a_pytorch_one_does_not_count()
    {
        var manifest = TwoWorkers();
        manifest["spec"]!["jaxReplicaSpecs"]!["Worker"]!["template"]!["spec"]!["containers"]![0]!["name"] = "pytorch";

        AssertError(_kind.AnalyzeErrors(manifest), $"{Workers}.template.spec.containers", "must include a container named 'jax'");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void At_least_one_worker_is_required(int replicas)
    {
        var manifest = TwoWorkers().Set("spec/jaxReplicaSpecs/Worker/replicas", replicas);

        AssertError(_kind.AnalyzeErrors(manifest), $"{Workers}.replicas", "must be at least 1");
    }

    [Fact]
    public void Template_and_pod_spec_are_required()
    {
        var noTemplate = TwoWorkers().Without("spec/jaxReplicaSpecs/Worker/template");
        var noSpec = TwoWorkers().Without("spec/jaxReplicaSpecs/Worker/template/spec");

        AssertError(_kind.AnalyzeErrors(noTemplate), $"{Workers}.template", "is required");
        AssertError(_kind.AnalyzeErrors(noSpec), $"{Workers}.template.spec", "is required");
    }

    [Fact]
    public void A_negative_memory_request_names_the_field()
    {
        var manifest = TwoWorkers();
        manifest["spec"]!["jaxReplicaSpecs"]!["Worker"]!["template"]!["spec"]!["containers"]![0]!["resources"]!["requests"]!["memory"] = "-6Gi";

        AssertError(
            _kind.AnalyzeErrors(manifest),
            $"{Workers}.template.spec.containers[0].resources.requests.memory",
            "'-6Gi' is negative; a quantity must be zero or more");
    }

    [Fact]
    public void A_PyTorchJob_manifest_is_not_a_JAXJob()
    {
        var manifest = TwoWorkers().Set("kind", "PyTorchJob");

        AssertError(_kind.AnalyzeErrors(manifest), "manifest.kind", "must be JAXJob");
    }

    public static TheoryData<string> JaxExamples => TrainingExamples.Files("JAXJob");

    [Theory]
    [MemberData(nameof(JaxExamples))]
    public void Every_training_operator_JAXJob_example_is_valid_with_two_workers_counting_the_default_request(string file)
    {
        // The upstream JAX examples set no resources: each container counts the default, 1 cpu and 1Gi.
        var demand = _kind.AnalyzeValid(Assert.Single(TrainingExamples.Load(file, "JAXJob")));

        Assert.Equal("worker", Assert.Single(demand.Pods).Role);
        Assert.Equal(2, demand.PodCount);
        Assert.Equal(new R(2000, 2 * GiB, 0), demand.Total);
    }
}
