using System.Text;
using System.Text.Json;
using Gantry.Backends;
using Gantry.Backends.Kubernetes;
using Gantry.Core.Jobs;
using Gantry.Kubernetes.Tests.Support;
using k8s;

namespace Gantry.Kubernetes.Tests.Kubernetes;

/// <summary>Dispatch, adoption, the operators' states and cancel, against one sandbox cluster shared by the class.</summary>
public sealed class DispatchTests(DispatchTests.Fixture cluster) : IClassFixture<DispatchTests.Fixture>
{
    public sealed class Fixture : IAsyncLifetime
    {
        internal BackendHarness Harness { get; private set; } = null!;

        public async Task InitializeAsync() => Harness = await BackendHarness.StartAsync();

        public async Task DisposeAsync() => await Harness.DisposeAsync();
    }

    private BackendHarness H => cluster.Harness;

    public static TheoryData<string> Kinds => ["SparkApplication", "PyTorchJob", "JAXJob"];

    private static Job Make(string kind, string duration = "1s", string? fail = null) => kind switch
    {
        "SparkApplication" => KubeJobs.Spark(duration, fail),
        "PyTorchJob" => KubeJobs.PyTorch(duration, fail),
        _ => KubeJobs.Jax(duration, fail),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Each_kind_goes_Submitted_Running_Succeeded(string kind)
    {
        var job = Make(kind);

        await H.DispatchAsync(job);
        await H.Sink.WaitForAsync(job.Id, JobState.Succeeded);

        Assert.Equal([JobState.Submitted, JobState.Running, JobState.Succeeded], H.Sink.States(job.Id));
        var location = JsonSerializer.Deserialize<JsonElement>(H.Sink.Transitions(job.Id)[^1].BackendState!);
        Assert.Equal(GantryLabels.ResourceName(job.Id), location.GetProperty("name").GetString());
        Assert.Equal("default", location.GetProperty("namespace").GetString());
    }

    [Fact]
    public async Task The_resource_carries_the_deterministic_name_gantry_labels_and_the_job_environment()
    {
        var job = KubeJobs.Spark(duration: "30s");

        await H.DispatchAsync(job);

        var resource = (await H.Admin.ResourceAsync(job))!.Value;
        var metadata = resource.GetProperty("metadata");
        Assert.Equal("g-" + job.Id, metadata.GetProperty("name").GetString());
        var labels = metadata.GetProperty("labels");
        Assert.Equal(job.Id, labels.GetProperty("gantry.io/job-id").GetString());
        Assert.Equal("default", labels.GetProperty("gantry.io/queue").GetString());
        Assert.Equal("ann-example.com", labels.GetProperty("gantry.io/owner").GetString());
        Assert.Equal("ml", labels.GetProperty("team").GetString());
        foreach (var role in new[] { "driver", "executor" })
        {
            var env = resource.GetProperty("spec").GetProperty(role).GetProperty("env").EnumerateArray()
                .ToDictionary(e => e.GetProperty("name").GetString()!, e => e);
            Assert.Equal(job.Id, env["GANTRY_JOB_ID"].GetProperty("value").GetString());
            Assert.Equal("http://gantry.test:8080", env["GANTRY_URL"].GetProperty("value").GetString());
            var secretRef = env["GANTRY_JOB_TOKEN"].GetProperty("valueFrom").GetProperty("secretKeyRef");
            Assert.Equal(GantryLabels.TokenSecretName(job.Id), secretRef.GetProperty("name").GetString());
            Assert.False(env["GANTRY_JOB_TOKEN"].TryGetProperty("value", out _), "the token must not be in the spec");
        }
        var secret = await H.Admin.CoreV1.ReadNamespacedSecretAsync(GantryLabels.TokenSecretName(job.Id), "default");
        Assert.Equal("job-token-" + job.Id, Encoding.UTF8.GetString(secret.Data["token"]));
        var owner = Assert.Single(secret.Metadata.OwnerReferences);
        Assert.Equal(metadata.GetProperty("uid").GetString(), owner.Uid);
        await H.Backend.CancelAsync(job, CancellationToken.None);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_failing_job_ends_Failed_with_the_operators_message(string kind)
    {
        var job = Make(kind, fail: "OOMKilled in stage 3");

        await H.DispatchAsync(job);
        var failed = await H.Sink.WaitForAsync(job.Id, JobState.Failed);

        Assert.Contains("OOMKilled in stage 3", failed.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(JobState.Succeeded, H.Sink.States(job.Id));
    }

    [Fact]
    public async Task A_running_spark_application_reports_the_service_proxy_url_of_its_ui()
    {
        var job = KubeJobs.Spark(duration: "2s");

        await H.DispatchAsync(job);
        var running = await H.Sink.WaitForAsync(job.Id, JobState.Running);

        Assert.Equal($"{H.Cluster.Server.ToString().TrimEnd('/')}/api/v1/namespaces/default/services/g-{job.Id}-ui-svc:4040/proxy/", running.SparkUiUrl);
        await H.Sink.WaitForAsync(job.Id, JobState.Succeeded);
    }

    [Fact]
    public async Task Cancel_deletes_the_resource_and_its_pods_and_reports_Cancelled()
    {
        var job = KubeJobs.PyTorch(duration: "60s");
        await H.DispatchAsync(job);
        await H.Sink.WaitForAsync(job.Id, JobState.Running);
        await H.Sink.ReportAsync(new JobUpdate(job.Id, JobState.Cancelling, "cancel requested by ann"), CancellationToken.None);

        await H.Backend.CancelAsync(job with { State = JobState.Cancelling }, CancellationToken.None);

        await H.Sink.WaitForAsync(job.Id, JobState.Cancelled);
        Assert.Null(await H.Admin.ResourceAsync(job));
        await ClusterLookups.EventuallyAsync(
            async () => await H.Admin.PodCountAsync($"training.kubeflow.org/job-name=g-{job.Id}") == 0, "the job's pods are gone");
    }

    [Fact]
    public async Task A_dispatch_retried_after_AlreadyExists_adopts_the_resource_and_refreshes_the_token()
    {
        var job = KubeJobs.Jax(duration: "2s");
        await H.DispatchAsync(job);

        await H.Backend.DispatchAsync(job, new DispatchContext("second-token"), CancellationToken.None);

        Assert.Equal(1, await H.Admin.CopiesAsync(job));
        var secret = await H.Admin.CoreV1.ReadNamespacedSecretAsync(GantryLabels.TokenSecretName(job.Id), "default");
        Assert.Equal("second-token", Encoding.UTF8.GetString(secret.Data["token"]));
        await H.Sink.WaitForAsync(job.Id, JobState.Succeeded);
    }

    [Fact]
    public async Task A_resource_of_that_name_without_the_jobs_label_is_not_taken_over()
    {
        var job = KubeJobs.Jax();
        var foreign = System.Text.Json.Nodes.JsonNode.Parse(job.Manifest)!.AsObject();
        foreign["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = GantryLabels.ResourceName(job.Id), ["namespace"] = "default" };
        await H.Admin.CustomObjects.CreateNamespacedCustomObjectAsync(foreign, "kubeflow.org", "v1", "default", "jaxjobs");

        var refused = await Assert.ThrowsAsync<DispatchException>(() => H.DispatchAsync(job));

        Assert.False(refused.Retryable);
        Assert.Contains("not this job's", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_manifest_the_crd_schema_rejects_fails_the_dispatch_naming_the_field()
    {
        var job = KubeJobs.Edited(KubeJobs.Spark(), m => m["spec"]!["executor"]!["instances"] = 0);

        var refused = await Assert.ThrowsAsync<DispatchException>(() => H.DispatchAsync(job));

        Assert.False(refused.Retryable);
        Assert.Contains("spec.executor.instances", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_resource_deleted_behind_gantrys_back_fails_the_job()
    {
        var job = KubeJobs.Spark(duration: "60s");
        await H.DispatchAsync(job);
        await H.Sink.WaitForAsync(job.Id, JobState.Running);

        await H.Admin.DeleteResourceAsync(job);

        var failed = await H.Sink.WaitForAsync(job.Id, JobState.Failed);
        Assert.Equal("custom resource deleted outside Gantry", failed.Reason);
    }
}
