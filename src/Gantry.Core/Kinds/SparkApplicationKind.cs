using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Core.Validation;

namespace Gantry.Core.Kinds;

/// <summary>
/// A Kubeflow Spark Operator <c>SparkApplication</c> (<c>sparkoperator.k8s.io/v1beta2</c>). Its gang is
/// the driver pod plus the executors Spark starts with (spark-operator reference §5, YuniKorn rule).
/// </summary>
public sealed class SparkApplicationKind : IJobKind
{
    private const string SpecPath = "manifest.spec";
    private static readonly string[] Types = ["Java", "Scala", "Python", "R"];
    private static readonly string[] Modes = ["cluster", "client"];

    public string Name => "SparkApplication";

    public KubernetesResource Resource { get; } = new("sparkoperator.k8s.io", "v1beta2", "sparkapplications");

    public ResourceDemand Analyze(JsonObject manifest, ValidationErrors errors)
    {
        var read = new ManifestReader(errors);
        ManifestHeader.Check(read, manifest, Name, Resource);
        var spec = read.Object(manifest, "manifest", "spec", required: true);
        if (spec is null)
        {
            return ResourceDemand.None;
        }
        var type = OneOf(read, spec, "type", Types, required: true);
        OneOf(read, spec, "mode", Modes, required: false);
        read.String(spec, SpecPath, "sparkVersion", required: true);
        read.String(spec, SpecPath, "mainApplicationFile", required: true);
        read.String(spec, SpecPath, "mainClass");
        read.String(spec, SpecPath, "image");
        read.Array(spec, SpecPath, "arguments");
        var conf = SparkConf.Read(read, spec);
        var factor = read.String(spec, SpecPath, "memoryOverheadFactor") is { } text
            ? new SparkSetting(text, $"{SpecPath}.memoryOverheadFactor")
            : (SparkSetting?)null;

        var driver = read.Object(spec, SpecPath, "driver", required: true);
        var executor = read.Object(spec, SpecPath, "executor", required: true);
        var driverPod = SparkPodResources.Read(read, driver, "driver", conf, type, factor);
        var executorPod = SparkPodResources.Read(read, executor, "executor", conf, type, factor);
        var executors = InitialExecutors(read, spec, executor, conf);

        List<PodDemand> pods = [new PodDemand("driver", 1, driverPod)];
        if (executors > 0)
        {
            pods.Add(new PodDemand("executor", executors, executorPod));
        }
        return DemandGuard.Checked(new ResourceDemand(pods), errors, SpecPath);
    }

    /// <summary>
    /// Spark's initial executor number (<c>GetInitialExecutorNumber</c>): the instances, or with
    /// dynamic allocation the largest of instances, initialExecutors and minExecutors. Admission
    /// reserves this; the app may later grow to maxExecutors.
    /// </summary>
    private static int InitialExecutors(ManifestReader read, JsonObject spec, JsonObject? executor, SparkConf conf)
    {
        const string dynamicPath = $"{SpecPath}.dynamicAllocation";
        var instances = read.Integer(executor, $"{SpecPath}.executor", "instances", min: 1, max: int.MaxValue)
            ?? conf.Integer(read, "spark.executor.instances", min: 0);
        var dynamic = read.Object(spec, SpecPath, "dynamicAllocation");
        var enabled = read.Boolean(dynamic, dynamicPath, "enabled") ?? false;
        read.Boolean(dynamic, dynamicPath, "shuffleTrackingEnabled");
        var initial = read.Integer(dynamic, dynamicPath, "initialExecutors", min: 0, max: int.MaxValue);
        var min = read.Integer(dynamic, dynamicPath, "minExecutors", min: 0, max: int.MaxValue);
        var max = read.Integer(dynamic, dynamicPath, "maxExecutors", min: 0, max: int.MaxValue);
        if (min is not null && max is not null && max < min)
        {
            read.Errors.Add($"{dynamicPath}.maxExecutors", $"must be at least minExecutors ({min})");
        }
        if (!enabled)
        {
            // The operator's webhook defaults instances to 1 when neither the field nor the conf sets it.
            return (int)(instances ?? 1);
        }
        return (int)Math.Max(instances ?? 0, Math.Max(initial ?? 0, min ?? 0));
    }

    private static string? OneOf(ManifestReader read, JsonObject spec, string name, string[] allowed, bool required)
    {
        var value = read.String(spec, SpecPath, name, required);
        if (value is null || allowed.Contains(value, StringComparer.Ordinal))
        {
            return value;
        }
        read.Errors.Add($"{SpecPath}.{name}", $"'{value}' is not one of {string.Join(", ", allowed)}");
        return null;
    }
}
