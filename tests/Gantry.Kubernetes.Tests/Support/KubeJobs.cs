using System.Text.Json.Nodes;
using Gantry.Core.Jobs;
using Gantry.Core.Resources;

namespace Gantry.Kubernetes.Tests.Support;

/// <summary>Jobs of each kind as the store would hand them to a backend, with the sandbox's duration and failure annotations.</summary>
internal static class KubeJobs
{
    public static Job Spark(string duration = "1s", string? fail = null, int executors = 1) => Job("SparkApplication", """
        {
          "apiVersion": "sparkoperator.k8s.io/v1beta2",
          "kind": "SparkApplication",
          "metadata": {"name": "spark-pi", "labels": {"team": "ml"}, "annotations": @ANNOTATIONS@},
          "spec": {
            "type": "Scala", "mode": "cluster", "image": "docker.io/apache/spark:4.0.4", "sparkVersion": "4.0.4",
            "mainClass": "org.apache.spark.examples.SparkPi",
            "mainApplicationFile": "local:///opt/spark/examples/jars/spark-examples.jar",
            "driver": {"cores": 1, "memory": "512m", "env": [{"name": "GANTRY_JOB_ID", "value": "shadowed"}]},
            "executor": {"instances": @COUNT@, "cores": 1, "memory": "512m"}
          }
        }
        """, duration, fail, executors);

    public static Job PyTorch(string duration = "1s", string? fail = null, int workers = 1) => Job("PyTorchJob", """
        {
          "apiVersion": "kubeflow.org/v1",
          "kind": "PyTorchJob",
          "metadata": {"name": "mnist", "annotations": @ANNOTATIONS@},
          "spec": {"pytorchReplicaSpecs": {
            "Master": {"replicas": 1, "restartPolicy": "OnFailure", "template": {"spec": {"containers": [
              {"name": "pytorch", "image": "pytorch-mnist", "resources": {"requests": {"cpu": "500m", "memory": "512Mi"}}}]}}},
            "Worker": {"replicas": @COUNT@, "restartPolicy": "OnFailure", "template": {"spec": {"containers": [
              {"name": "pytorch", "image": "pytorch-mnist", "resources": {"requests": {"cpu": "500m", "memory": "512Mi"}}}]}}}
          }}
        }
        """, duration, fail, workers);

    public static Job Jax(string duration = "1s", string? fail = null) => Job("JAXJob", """
        {
          "apiVersion": "kubeflow.org/v1",
          "kind": "JAXJob",
          "metadata": {"name": "jax", "annotations": @ANNOTATIONS@},
          "spec": {"jaxReplicaSpecs": {
            "Worker": {"replicas": 2, "restartPolicy": "Never", "template": {"spec": {"containers": [
              {"name": "jax", "image": "jax-train", "resources": {"requests": {"cpu": "250m", "memory": "256Mi"}}}]}}}
          }}
        }
        """, duration, fail, 0);

    /// <summary>A job whose manifest is <paramref name="manifest"/> changed by <paramref name="edit"/>.</summary>
    public static Job Edited(Job job, Action<JsonObject> edit)
    {
        var manifest = JsonNode.Parse(job.Manifest)!.AsObject();
        edit(manifest);
        return job with { Manifest = manifest.ToJsonString() };
    }

    private static string Annotations(string duration, string? fail)
    {
        var annotations = new JsonObject { ["sandbox.gantry.io/duration"] = duration };
        if (fail is not null)
        {
            annotations["sandbox.gantry.io/fail"] = fail;
        }
        return annotations.ToJsonString();
    }

    private static Job Job(string kind, string template, string duration, string? fail, int count)
    {
        var manifest = template
            .Replace("@ANNOTATIONS@", Annotations(duration, fail), StringComparison.Ordinal)
            .Replace("@COUNT@", count.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var id = JobId.New();
        return new Job
        {
            Id = id,
            Name = $"{kind.ToLowerInvariant()}-{id}",
            Kind = kind,
            Queue = "default",
            Owner = "ann@example.com",
            Manifest = JsonNode.Parse(manifest)!.ToJsonString(),
            Demand = ResourceDemand.None,
            State = JobState.Dispatching,
            CreatedAt = DateTimeOffset.UtcNow,
        };
    }
}
