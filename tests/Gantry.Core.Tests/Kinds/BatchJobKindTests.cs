using System.Text.Json.Nodes;
using Gantry.Core.Kinds;
using Gantry.Core.Tests.Support;
using static Gantry.Core.Tests.Support.Manifests;
using R = Gantry.Core.Resources.Resources;

namespace Gantry.Core.Tests.Kinds;

/// <summary>The batch/v1 Job kind: its gang (pods at once × the pod's request) and the API server's rules for the fields Gantry reads.</summary>
public class BatchJobKindTests
{
    private const string PodSpec = "manifest.spec.template.spec";

    private readonly BatchJobKind _kind = new();

    private static JsonObject Trial() => FromYaml("""
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: trial-1
        spec:
          parallelism: 3
          template:
            spec:
              restartPolicy: Never
              containers:
              - name: training-container
                image: registry.example.com/train:1.0
                command: [python3, train.py, "--lr=0.01"]
                resources:
                  requests: {cpu: 500m, memory: 1Gi}
                  limits: {nvidia.com/gpu: 1}
        """);

    [Fact]
    public void Kind_lives_at_batch_v1_jobs()
    {
        Assert.Equal("Job", _kind.Name);
        Assert.Equal("batch/v1", _kind.Resource.ApiVersion);
        Assert.Equal("jobs", _kind.Resource.Plural);
    }

    [Fact]
    public void Demand_is_parallelism_times_the_pod_request_with_a_gpu_from_its_limit()
    {
        var pod = Assert.Single(_kind.AnalyzeValid(Trial()).Pods);

        Assert.Equal(("pod", 3), (pod.Role, pod.Count));
        Assert.Equal(new R(500, GiB, 1), pod.PerPod);
    }

    [Theory]
    [InlineData(null, null, 1)]
    [InlineData(4L, null, 4)]
    [InlineData(4L, 2L, 2)]
    [InlineData(2L, 10L, 2)]
    [InlineData(0L, null, 0)]
    public void Pods_at_once_are_parallelism_default_1_capped_by_completions(long? parallelism, long? completions, int expected)
    {
        var manifest = Trial().Without("spec/parallelism");
        if (parallelism is { } p)
        {
            manifest.Set("spec/parallelism", p);
        }
        if (completions is { } c)
        {
            manifest.Set("spec/completions", c);
        }

        Assert.Equal(expected, Assert.Single(_kind.AnalyzeValid(manifest).Pods).Count);
    }

    [Fact]
    public void Limits_stand_in_for_missing_requests_and_a_bigger_init_container_is_the_peak()
    {
        var manifest = Trial();
        manifest.Set("spec/template/spec/containers", new JsonArray(JsonNode.Parse("""
            {"name": "main", "image": "train", "resources": {"limits": {"cpu": "2", "memory": "512Mi"}}}
            """)));
        manifest.Set("spec/template/spec/initContainers", new JsonArray(JsonNode.Parse("""
            {"name": "fetch", "image": "fetch", "resources": {"requests": {"cpu": "100m", "memory": "4Gi"}}}
            """)));

        var demand = _kind.AnalyzeValid(manifest);

        Assert.Equal(new R(2000, 4 * GiB, 0), Assert.Single(demand.Pods).PerPod);
        Assert.Equal(new R(6000, 12 * GiB, 0), demand.Total);
    }

    [Fact]
    public void A_container_requesting_nothing_counts_as_the_configured_default()
    {
        var manifest = Trial();
        ((JsonObject)manifest["spec"]!["template"]!["spec"]!["containers"]![0]!).Remove("resources");

        var pod = Assert.Single(new BatchJobKind(new R(250, 256 * MiB, 0)).AnalyzeValid(manifest).Pods);

        Assert.Equal(new R(250, 256 * MiB, 0), pod.PerPod);
    }

    [Theory]
    [InlineData(null, "is required in a Job")]
    [InlineData("Always", "'Always' is not allowed in a Job")]
    public void The_pod_template_must_say_Never_or_OnFailure(string? policy, string fragment)
    {
        var manifest = policy is null ? Trial().Without("spec/template/spec/restartPolicy") : Trial().Set("spec/template/spec/restartPolicy", policy);

        AssertError(_kind.AnalyzeErrors(manifest), $"{PodSpec}.restartPolicy", fragment);
    }

    [Fact]
    public void OnFailure_is_accepted()
    {
        _kind.AnalyzeValid(Trial().Set("spec/template/spec/restartPolicy", "OnFailure"));
    }

    [Theory]
    [InlineData("parallelism", -1L, "must be at least 0")]
    [InlineData("completions", -3L, "must be at least 0")]
    [InlineData("parallelism", 100_001L, "must be at most 100000")]
    [InlineData("backoffLimit", -1L, "must be at least 0")]
    [InlineData("activeDeadlineSeconds", 0L, "must be at least 1")]
    public void Counts_are_bounded(string field, long value, string fragment)
    {
        AssertError(_kind.AnalyzeErrors(Trial().Set($"spec/{field}", value)), $"manifest.spec.{field}", fragment);
    }

    [Fact]
    public void Containers_are_required_and_each_needs_an_image()
    {
        AssertError(_kind.AnalyzeErrors(Trial().Without("spec/template/spec/containers")), $"{PodSpec}.containers", "is required");
        AssertError(_kind.AnalyzeErrors(Trial().Set("spec/template/spec/containers", new JsonArray())), $"{PodSpec}.containers", "at least one container");
        var noImage = Trial();
        ((JsonObject)noImage["spec"]!["template"]!["spec"]!["containers"]![0]!).Remove("image");
        AssertError(_kind.AnalyzeErrors(noImage), $"{PodSpec}.containers[0].image", "is required");
    }

    [Fact]
    public void Indexed_needs_completions_and_the_mode_must_be_known()
    {
        AssertError(_kind.AnalyzeErrors(Trial().Set("spec/completionMode", "Indexed")), "manifest.spec.completions", "required when completionMode is Indexed");
        AssertError(_kind.AnalyzeErrors(Trial().Set("spec/completionMode", "Sharded")), "manifest.spec.completionMode", "'Sharded' is not one of NonIndexed, Indexed");
        _kind.AnalyzeValid(Trial().Set("spec/completionMode", "Indexed").Set("spec/completions", 3));
    }

    [Fact]
    public void The_api_version_and_kind_are_checked()
    {
        AssertError(_kind.AnalyzeErrors(Trial().Set("apiVersion", "batch/v1beta1")), "manifest.apiVersion", "must be batch/v1 for a Job");
    }

    public static TheoryData<string> KatibExamples =>
        [.. ExampleManifests.FileNames("katib").Where(f => JobTrialSpecs(f).Count > 0)];

    [Fact]
    public void Most_Katib_examples_have_a_Job_trial()
    {
        // Guards the theory below against passing on an empty or moved examples directory.
        Assert.True(KatibExamples.Count >= 10, $"only {KatibExamples.Count} Katib examples with a Job trialSpec");
    }

    [Theory]
    [MemberData(nameof(KatibExamples))]
    public void Every_Katib_example_Job_trial_is_accepted_with_its_requests(string file)
    {
        foreach (var trial in JobTrialSpecs(file))
        {
            var pod = Assert.Single(_kind.AnalyzeValid(trial).Pods);
            Assert.Equal(1, pod.Count);
            Assert.True(pod.PerPod.CpuMillis > 0 && pod.PerPod.MemoryBytes > 0, $"{file}: {pod.PerPod}");
        }
    }

    private static List<JsonObject> JobTrialSpecs(string file) =>
        [.. ExampleManifests.Load("katib", file, "Experiment")
            .Select(e => e["spec"]?["trialTemplate"]?["trialSpec"])
            .OfType<JsonObject>()
            .Where(t => t["kind"]?.GetValue<string>() == "Job" && t["apiVersion"]?.GetValue<string>() == "batch/v1")
            .Select(t => (JsonObject)t.DeepClone())];
}
