using Gantry.Core.Manifests;
using System.Text.Json.Nodes;
using Gantry.Core.Kinds;
using Gantry.Core.Tests.Support;
using static Gantry.Core.Tests.Support.Manifests;

namespace Gantry.Core.Tests.Kinds;

public class SparkApplicationKindTests
{
    private readonly SparkApplicationKind _kind = new();

    /// <summary>The worked example of spark-operator reference §5: driver 1 core/2g, 4 executors of 2 cores/4g.</summary>
    private static JsonObject WorkedExample(string type = "Python") => FromYaml($"""
        apiVersion: sparkoperator.k8s.io/v1beta2
        kind: SparkApplication
        metadata:
          name: etl
        spec:
          type: {type}
          sparkVersion: "3.5.3"
          mainApplicationFile: local:///opt/app/etl.py
          driver:
            cores: 1
            memory: 2g
          executor:
            instances: 4
            cores: 2
            memory: 4g
        """);

    [Fact]
    public void Spark_worked_example_from_the_reference_totals_9_cpu_and_25803_MiB()
    {
        var demand = _kind.AnalyzeValid(WorkedExample("Python"));

        Assert.Equal(new Gantry.Core.Resources.Resources(1000, 2867 * MiB, 0), demand.Role("driver").PerPod);
        Assert.Equal(1, demand.Role("driver").Count);
        Assert.Equal(new Gantry.Core.Resources.Resources(2000, 5734 * MiB, 0), demand.Role("executor").PerPod);
        Assert.Equal(4, demand.Role("executor").Count);
        Assert.Equal(new Gantry.Core.Resources.Resources(9000, 25803 * MiB, 0), demand.Total);
        Assert.Equal(5, demand.PodCount);
    }

    [Fact]
    public void Spark_worked_example_as_Scala_uses_the_JVM_factor_and_totals_20452_MiB()
    {
        var demand = _kind.AnalyzeValid(WorkedExample("Scala"));

        Assert.Equal(2432 * MiB, demand.Role("driver").PerPod.MemoryBytes);
        Assert.Equal(4505 * MiB, demand.Role("executor").PerPod.MemoryBytes);
        Assert.Equal(20452 * MiB, demand.Total.MemoryBytes);
    }

    [Theory]
    [InlineData("Java", 20452)]
    [InlineData("Scala", 20452)]
    [InlineData("Python", 25803)]
    [InlineData("R", 25803)]
    public void Java_and_Scala_are_JVM_apps_while_Python_and_R_get_the_larger_overhead(string type, long totalMiB)
    {
        Assert.Equal(totalMiB * MiB, _kind.AnalyzeValid(WorkedExample(type)).Total.MemoryBytes);
    }

    [Fact]
    public void Reference_example_with_a_1g_executor_overhead_totals_23347_MiB()
    {
        var manifest = WorkedExample("Python").Set("spec/executor/memoryOverhead", "1g");

        var demand = _kind.AnalyzeValid(manifest);

        Assert.Equal(23347 * MiB, demand.Total.MemoryBytes);
        Assert.Equal(9000, demand.Total.CpuMillis);
    }

    [Fact]
    public void A_bare_memory_overhead_is_read_as_MiB()
    {
        var manifest = WorkedExample("Scala").Set("spec/driver/memoryOverhead", "300");

        Assert.Equal((2048 + 300) * MiB, _kind.AnalyzeValid(manifest).Role("driver").PerPod.MemoryBytes);
    }

    [Fact]
    public void Spec_memory_overhead_factor_replaces_the_type_default()
    {
        var manifest = WorkedExample("Scala").Set("spec/memoryOverheadFactor", "0.2");

        var demand = _kind.AnalyzeValid(manifest);

        // 2048 * 0.2 = 409.6 beats the 384 floor; 4096 * 0.2 = 819.2.
        Assert.Equal(2457 * MiB, demand.Role("driver").PerPod.MemoryBytes);
        Assert.Equal(4915 * MiB, demand.Role("executor").PerPod.MemoryBytes);
    }

    [Fact]
    public void Per_role_overhead_factor_in_sparkConf_wins_over_the_spec_factor()
    {
        var manifest = WorkedExample("Scala")
            .Set("spec/memoryOverheadFactor", "0.2")
            .Set("spec/sparkConf/spark.executor.memoryOverheadFactor", "0.5");

        var demand = _kind.AnalyzeValid(manifest);

        Assert.Equal(2457 * MiB, demand.Role("driver").PerPod.MemoryBytes);
        Assert.Equal((4096 + 2048) * MiB, demand.Role("executor").PerPod.MemoryBytes);
    }

    [Fact]
    public void Kubernetes_overhead_factor_in_sparkConf_applies_when_the_spec_sets_none()
    {
        var manifest = WorkedExample("Python").Set("spec/sparkConf/spark.kubernetes.memoryOverheadFactor", "0.1");

        Assert.Equal((2048 + 384) * MiB, _kind.AnalyzeValid(manifest).Role("driver").PerPod.MemoryBytes);
    }

    [Fact]
    public void Minimum_overhead_from_sparkConf_replaces_the_384_MiB_floor()
    {
        var manifest = WorkedExample("Scala")
            .Set("spec/driver/memory", "512m")
            .Set("spec/sparkConf/spark.driver.minMemoryOverhead", "100");

        Assert.Equal((512 + 100) * MiB, _kind.AnalyzeValid(manifest).Role("driver").PerPod.MemoryBytes);
    }

    [Fact]
    public void PySpark_worker_memory_is_added_to_Python_executors_only()
    {
        var manifest = WorkedExample("Python").Set("spec/sparkConf/spark.executor.pyspark.memory", "512");

        var demand = _kind.AnalyzeValid(manifest);

        Assert.Equal(2867 * MiB, demand.Role("driver").PerPod.MemoryBytes);
        Assert.Equal((5734 + 512) * MiB, demand.Role("executor").PerPod.MemoryBytes);
    }

    [Fact]
    public void PySpark_worker_memory_is_ignored_for_JVM_apps()
    {
        var manifest = WorkedExample("Scala").Set("spec/sparkConf/spark.executor.pyspark.memory", "512m");

        Assert.Equal(4505 * MiB, _kind.AnalyzeValid(manifest).Role("executor").PerPod.MemoryBytes);
    }

    [Theory]
    [InlineData("1g", 1024)]
    [InlineData("1048576", 1)]
    public void Off_heap_memory_is_added_to_executors_when_enabled_with_bare_numbers_in_bytes(string size, long extraMiB)
    {
        var manifest = WorkedExample("Scala")
            .Set("spec/sparkConf/spark.memory.offHeap.enabled", "true")
            .Set("spec/sparkConf/spark.memory.offHeap.size", size);

        var demand = _kind.AnalyzeValid(manifest);

        Assert.Equal(2432 * MiB, demand.Role("driver").PerPod.MemoryBytes);
        Assert.Equal((4505 + extraMiB) * MiB, demand.Role("executor").PerPod.MemoryBytes);
    }

    [Fact]
    public void Off_heap_size_is_ignored_while_off_heap_is_disabled()
    {
        var manifest = WorkedExample("Scala").Set("spec/sparkConf/spark.memory.offHeap.size", "1g");

        Assert.Equal(4505 * MiB, _kind.AnalyzeValid(manifest).Role("executor").PerPod.MemoryBytes);
    }

    [Fact]
    public void Off_heap_enabled_without_a_size_is_an_error()
    {
        var manifest = WorkedExample("Scala").Set("spec/sparkConf/spark.memory.offHeap.enabled", "true");

        AssertError(_kind.AnalyzeErrors(manifest), "manifest.spec.sparkConf.spark.memory.offHeap.size", "is required");
    }

    [Fact]
    public void Missing_cores_memory_and_instances_take_the_operator_defaults()
    {
        var manifest = WorkedExample("Scala").Set("spec/driver", new JsonObject()).Set("spec/executor", new JsonObject());

        var demand = _kind.AnalyzeValid(manifest);

        var pod = new Gantry.Core.Resources.Resources(1000, (1024 + 384) * MiB, 0);
        Assert.Equal(pod, demand.Role("driver").PerPod);
        Assert.Equal(pod, demand.Role("executor").PerPod);
        Assert.Equal(1, demand.Role("executor").Count);
    }

    [Fact]
    public void SparkConf_stands_in_for_absent_spec_fields_but_the_spec_wins()
    {
        var manifest = WorkedExample("Scala")
            .Without("spec/executor/instances")
            .Without("spec/executor/memory")
            .Set("spec/sparkConf/spark.executor.instances", "3")
            .Set("spec/sparkConf/spark.executor.memory", "8g")
            .Set("spec/sparkConf/spark.executor.cores", "7")
            .Set("spec/sparkConf/spark.driver.memory", "16g");

        var demand = _kind.AnalyzeValid(manifest);

        Assert.Equal(3, demand.Role("executor").Count);
        Assert.Equal((8192 + 819) * MiB, demand.Role("executor").PerPod.MemoryBytes);
        Assert.Equal(2000, demand.Role("executor").PerPod.CpuMillis);
        Assert.Equal(2432 * MiB, demand.Role("driver").PerPod.MemoryBytes);
    }

    [Fact]
    public void Core_request_replaces_cores_as_the_pod_cpu_request()
    {
        var manifest = WorkedExample("Scala")
            .Set("spec/driver/coreRequest", "500m")
            .Set("spec/executor/coreRequest", "0.25");

        var demand = _kind.AnalyzeValid(manifest);

        Assert.Equal(500, demand.Role("driver").PerPod.CpuMillis);
        Assert.Equal(250, demand.Role("executor").PerPod.CpuMillis);
        Assert.Equal(1500, demand.Total.CpuMillis);
    }

    [Theory]
    [InlineData(null, null, null, 4)]
    [InlineData(6, null, null, 6)]
    [InlineData(null, 7, null, 7)]
    [InlineData(2, 3, 1, 4)]
    public void Dynamic_allocation_reserves_the_largest_of_instances_initial_and_min_executors(
        int? initialExecutors, int? minExecutors, int? maxExecutors, int expected)
    {
        var manifest = WorkedExample("Scala").Set("spec/dynamicAllocation", new JsonObject { ["enabled"] = true });
        if (initialExecutors is not null)
        {
            manifest.Set("spec/dynamicAllocation/initialExecutors", initialExecutors);
        }
        if (minExecutors is not null)
        {
            manifest.Set("spec/dynamicAllocation/minExecutors", minExecutors);
            manifest.Set("spec/dynamicAllocation/maxExecutors", Math.Max(minExecutors.Value, maxExecutors ?? 0));
        }

        Assert.Equal(expected, _kind.AnalyzeValid(manifest).Role("executor").Count);
    }

    [Fact]
    public void Disabled_dynamic_allocation_ignores_initial_executors()
    {
        var manifest = WorkedExample("Scala").Set("spec/dynamicAllocation", new JsonObject
        {
            ["enabled"] = false,
            ["initialExecutors"] = 10,
        });

        Assert.Equal(4, _kind.AnalyzeValid(manifest).Role("executor").Count);
    }

    [Fact]
    public void Dynamic_allocation_with_no_executor_numbers_reserves_only_the_driver()
    {
        var manifest = WorkedExample("Scala")
            .Without("spec/executor/instances")
            .Set("spec/dynamicAllocation", new JsonObject { ["enabled"] = true });

        var demand = _kind.AnalyzeValid(manifest);

        Assert.Equal("driver", Assert.Single(demand.Pods).Role);
        Assert.Equal(1, demand.PodCount);
    }

    [Theory]
    [InlineData("nvidia.com/gpu", 7)]
    [InlineData("amd.com/gpu", 7)]
    [InlineData("example.com/fpga", 0)]
    public void Gpus_count_per_pod_when_the_resource_is_a_gpu(string name, long expected)
    {
        var manifest = WorkedExample("Scala")
            .Set("spec/driver/gpu", new JsonObject { ["name"] = name, ["quantity"] = 1 })
            .Set("spec/executor/instances", 3)
            .Set("spec/executor/gpu", new JsonObject { ["name"] = name, ["quantity"] = 2 });

        Assert.Equal(expected, _kind.AnalyzeValid(manifest).Total.Gpu);
    }

    [Fact]
    public void Api_version_is_required_and_must_be_v1beta2()
    {
        var missing = _kind.AnalyzeErrors(WorkedExample().Without("apiVersion"));
        var wrong = _kind.AnalyzeErrors(WorkedExample().Set("apiVersion", "sparkoperator.k8s.io/v1beta1"));

        AssertError(missing, "manifest.apiVersion", "is required");
        AssertError(wrong, "manifest.apiVersion", "must be sparkoperator.k8s.io/v1beta2");
    }

    [Fact]
    public void Fields_the_CRD_requires_are_reported_together()
    {
        var manifest = WorkedExample()
            .Without("spec/type")
            .Without("spec/sparkVersion")
            .Without("spec/mainApplicationFile")
            .Without("spec/driver")
            .Without("spec/executor");

        var errors = _kind.AnalyzeErrors(manifest);

        foreach (var field in new[] { "type", "sparkVersion", "mainApplicationFile", "driver", "executor" })
        {
            AssertError(errors, $"manifest.spec.{field}", "is required");
        }
        Assert.Equal(5, errors.Count);
    }

    [Fact]
    public void Missing_spec_is_the_only_error_and_no_demand()
    {
        var errors = new Gantry.Core.Validation.ValidationErrors();
        var demand = _kind.Analyze(WorkedExample().Without("spec"), errors);

        Assert.Equal(["manifest.spec"], errors.ToDictionary().Keys);
        Assert.Empty(demand.Pods);
    }

    [Theory]
    [InlineData("spec/type", "Go", "manifest.spec.type", "'Go' is not one of Java, Scala, Python, R")]
    [InlineData("spec/mode", "local", "manifest.spec.mode", "'local' is not one of cluster, client")]
    [InlineData("spec/driver/cores", 0, "manifest.spec.driver.cores", "must be at least 1")]
    [InlineData("spec/executor/cores", "2", "manifest.spec.executor.cores", "must be a whole number")]
    [InlineData("spec/executor/instances", 0, "manifest.spec.executor.instances", "must be at least 1")]
    [InlineData("spec/executor/memory", "4GiB", "manifest.spec.executor.memory", "'4GiB' is not a Java-style memory size")]
    [InlineData("spec/driver/memory", "-1g", "manifest.spec.driver.memory", "is negative")]
    [InlineData("spec/driver/memory", 512, "manifest.spec.driver.memory", "must be a string")]
    [InlineData("spec/driver/memoryOverhead", "lots", "manifest.spec.driver.memoryOverhead", "is not a Java-style memory size")]
    [InlineData("spec/driver/coreRequest", "-1", "manifest.spec.driver.coreRequest", "'-1' is negative")]
    [InlineData("spec/executor/coreRequest", "2 cores", "manifest.spec.executor.coreRequest", "is not a Kubernetes quantity")]
    [InlineData("spec/executor/coreLimit", "1500m", "manifest.spec.executor.coreLimit", "below the pod's CPU request of 2")]
    [InlineData("spec/memoryOverheadFactor", "ten percent", "manifest.spec.memoryOverheadFactor", "is not a factor")]
    [InlineData("spec/sparkConf/spark.executor.memoryOverheadFactor", "-0.1", "manifest.spec.sparkConf.spark.executor.memoryOverheadFactor", "is not a factor")]
    [InlineData("spec/sparkConf/spark.dynamicAllocation.enabled", true, "manifest.spec.sparkConf.spark.dynamicAllocation.enabled", "must be a string")]
    [InlineData("spec/dynamicAllocation/minExecutors", -1, "manifest.spec.dynamicAllocation.minExecutors", "must be at least 0")]
    [InlineData("metadata", "etl", "manifest.metadata", "must be an object")]
    [InlineData("metadata/name", 7, "manifest.metadata.name", "must be a string")]
    [InlineData("kind", "SparkApp", "manifest.kind", "must be SparkApplication")]
    public void Bad_fields_are_reported_at_their_full_path(string path, object value, string field, string fragment)
    {
        var manifest = WorkedExample("Scala").Set(path, Node(value));

        AssertError(_kind.AnalyzeErrors(manifest), field, fragment);
    }

    [Fact]
    public void Executor_instances_in_sparkConf_must_be_a_whole_number_when_the_spec_sets_none()
    {
        var manifest = WorkedExample().Without("spec/executor/instances").Set("spec/sparkConf/spark.executor.instances", "many");

        AssertError(_kind.AnalyzeErrors(manifest), "manifest.spec.sparkConf.spark.executor.instances", "'many' must be a whole number");
    }

    [Fact]
    public void Gpu_needs_a_name_and_a_quantity()
    {
        var manifest = WorkedExample().Set("spec/driver/gpu", new JsonObject());

        var errors = _kind.AnalyzeErrors(manifest);

        AssertError(errors, "manifest.spec.driver.gpu.name", "is required");
        AssertError(errors, "manifest.spec.driver.gpu.quantity", "is required");
    }

    [Fact]
    public void Max_executors_below_min_executors_is_an_error()
    {
        var manifest = WorkedExample().Set("spec/dynamicAllocation", new JsonObject
        {
            ["enabled"] = true,
            ["minExecutors"] = 5,
            ["maxExecutors"] = 2,
        });

        AssertError(_kind.AnalyzeErrors(manifest), "manifest.spec.dynamicAllocation.maxExecutors", "must be at least minExecutors (5)");
    }

    [Fact]
    public void Absurd_sizes_are_errors_rather_than_exceptions_or_wrapped_totals()
    {
        var manifest = WorkedExample()
            .Set("spec/driver/memory", "9999999999999999999999p")
            .Set("spec/executor/memory", "1p")
            .Set("spec/executor/instances", int.MaxValue);

        var errors = _kind.AnalyzeErrors(manifest);

        AssertError(errors, "manifest.spec.driver.memory", "too large");
        AssertError(errors, "manifest.spec", "too large to represent");
    }

    [Fact]
    public void Garbage_in_every_object_position_is_reported_without_throwing()
    {
        var manifest = new JsonObject
        {
            ["apiVersion"] = 1,
            ["kind"] = "SparkApplication",
            ["metadata"] = new JsonArray(),
            ["spec"] = new JsonObject
            {
                ["type"] = new JsonObject(),
                ["driver"] = "big",
                ["executor"] = new JsonArray(),
                ["sparkConf"] = 3,
                ["dynamicAllocation"] = "on",
            },
        };

        var errors = _kind.AnalyzeErrors(manifest);

        AssertError(errors, "manifest.apiVersion", "must be a string");
        AssertError(errors, "manifest.metadata", "must be an object");
        AssertError(errors, "manifest.spec.type", "must be a string");
        AssertError(errors, "manifest.spec.driver", "must be an object");
        AssertError(errors, "manifest.spec.executor", "must be an object");
        AssertError(errors, "manifest.spec.sparkConf", "must be an object");
        AssertError(errors, "manifest.spec.dynamicAllocation", "must be an object");
    }

    public static TheoryData<string> SparkExamples => ExampleManifests.Files("spark-operator");

    [Theory]
    [MemberData(nameof(SparkExamples))]
    public void Every_spark_operator_example_is_valid_with_a_positive_demand(string file)
    {
        var manifests = SparkApplications(file);

        Assert.NotEmpty(manifests);
        foreach (var manifest in manifests)
        {
            var demand = _kind.AnalyzeValid(manifest);
            Assert.True(demand.Total.CpuMillis > 0 && demand.Total.MemoryBytes > 0, $"{file}: {demand.Total}");
            Assert.Equal(1, demand.Role("driver").Count);
        }
    }

    [Theory]
    // Scala, 512m heap: 512 + max(51.2, 384) = 896 MiB per pod; one executor.
    [InlineData("spark-pi.yaml", 2000, 2 * 896, 2)]
    // coreRequest "0.5" and "1200m" replace cores.
    [InlineData("spark-pi-custom-resource.yaml", 1700, 2 * 896, 2)]
    // Dynamic allocation: max(instances 1, initialExecutors 2, minExecutors 1) = 2 executors.
    [InlineData("spark-pi-dynamic-allocation.yaml", 3000, 3 * 896, 3)]
    // memoryOverhead 512m on both: driver 512 + 512, executor 1024 + 512.
    [InlineData("spark-pi-pod-template.yaml", 2000, 1024 + 1536, 2)]
    // Python, 512m heap: 0.4 * 512 = 204.8 is under the 384 floor, so still 896 MiB.
    [InlineData("spark-pi-python.yaml", 2000, 2 * 896, 2)]
    public void Spark_operator_examples_have_the_demand_computed_by_hand(string file, long cpuMillis, long memoryMiB, int pods)
    {
        var demand = _kind.AnalyzeValid(Assert.Single(SparkApplications(file)));

        Assert.Equal(new Gantry.Core.Resources.Resources(cpuMillis, memoryMiB * MiB, 0), demand.Total);
        Assert.Equal(pods, demand.PodCount);
    }

    [Fact]
    public void Prometheus_example_is_not_YAML_until_its_image_placeholders_are_filled()
    {
        var raw = ExampleManifests.ReadText("spark-operator", "spark-pi-prometheus.yaml");

        Assert.ThrowsAny<YamlDotNet.Core.YamlException>(() => YamlJson.ParseAll(raw));
        Assert.Single(YamlJson.ParseAll(ExampleManifests.FillImagePlaceholders(raw)));
    }

    /// <summary>
    /// SparkApplications in the file; a ScheduledSparkApplication's template is a SparkApplication
    /// spec, so it is checked as one too.
    /// </summary>
    private static List<JsonObject> SparkApplications(string file)
    {
        var docs = ExampleManifests.Load("spark-operator", file, "SparkApplication", "ScheduledSparkApplication");
        return [.. docs.Select(doc => doc["kind"]!.GetValue<string>() == "SparkApplication"
            ? doc
            : new JsonObject
            {
                ["apiVersion"] = doc["apiVersion"]!.DeepClone(),
                ["kind"] = "SparkApplication",
                ["metadata"] = doc["metadata"]!.DeepClone(),
                ["spec"] = doc["spec"]!["template"]!.DeepClone(),
            })];
    }
}
