using Gantry.Sandbox.Tests.Support;
using k8s;
using k8s.Models;

namespace Gantry.Sandbox.Tests.Simulation;

/// <summary>The simulated Job controller on standalone batch/v1 Jobs: pods, labels and counts, completion, backoffLimit, Indexed pods.</summary>
[Collection(SandboxCollection.Name)]
public class BatchJobControllerTests(SandboxFixture sandbox)
{
    private readonly IKubernetes _client = sandbox.Client;

    private static V1Job Job(string name, int? parallelism = null, int? completions = null, int? backoffLimit = null, string? fail = null,
        string restartPolicy = "Never", string? mode = null)
    {
        var annotations = new Dictionary<string, string> { ["sandbox.gantry.io/duration"] = "300ms" };
        if (fail is not null)
        {
            annotations["sandbox.gantry.io/fail"] = fail;
        }
        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = new V1ObjectMeta { Name = name, Annotations = annotations },
            Spec = new V1JobSpec
            {
                Parallelism = parallelism,
                Completions = completions,
                BackoffLimit = backoffLimit,
                CompletionMode = mode,
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["gantry.io/job-id"] = name } },
                    Spec = new V1PodSpec
                    {
                        RestartPolicy = restartPolicy,
                        Containers =
                        [
                            new V1Container
                            {
                                Name = "training-container", Image = "train:1.0", Command = ["python3", "train.py"],
                                Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m"), ["memory"] = new("128Mi") } },
                            },
                        ],
                    },
                },
            },
        };
    }

    private Task<V1Job> UntilCondition(string ns, string name, string type) =>
        Eventually.Until(() => _client.BatchV1.ReadNamespacedJobAsync(name, ns),
            j => j.Status?.Conditions?.Any(c => c.Type == type && c.Status == "True") == true, what: $"{name} {type}");

    private async Task<IList<V1Pod>> PodsAsync(string ns, string name) =>
        (await _client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: $"batch.kubernetes.io/job-name={name}")).Items;

    [Fact]
    public async Task A_Job_runs_its_parallel_pods_to_Complete_with_the_controllers_names_labels_and_counts()
    {
        var ns = await sandbox.NamespaceAsync("job");
        await _client.BatchV1.CreateNamespacedJobAsync(Job("trial", parallelism: 2, completions: 2), ns);

        var job = await UntilCondition(ns, "trial", "Complete");
        var pods = await PodsAsync(ns, "trial");

        Assert.Equal((2, 0, 0), (job.Status.Succeeded ?? 0, job.Status.Failed ?? 0, job.Status.Active ?? 0));
        Assert.NotNull(job.Status.StartTime);
        Assert.NotNull(job.Status.CompletionTime);
        var conditions = job.Status.Conditions.Select(c => (c.Type, c.Status, c.Reason)).ToList();
        Assert.Equal([("SuccessCriteriaMet", "True", "CompletionsReached"), ("Complete", "True", "CompletionsReached")], conditions);
        Assert.Equal(2, pods.Count);
        Assert.All(pods, p =>
        {
            Assert.Matches("^trial-[bcdfghjklmnpqrstvwxz2456789]{5}$", p.Metadata.Name);
            Assert.Equal("trial", p.Metadata.Labels["job-name"]);
            Assert.Equal(job.Metadata.Uid, p.Metadata.Labels["batch.kubernetes.io/controller-uid"]);
            Assert.Equal(job.Metadata.Uid, p.Metadata.Labels["controller-uid"]);
            Assert.Equal("trial", p.Metadata.Labels["gantry.io/job-id"]);
            Assert.Equal(("Job", true), (p.Metadata.OwnerReferences.Single().Kind, p.Metadata.OwnerReferences.Single().Controller == true));
            Assert.Equal("Succeeded", p.Status.Phase);
        });
    }

    [Fact]
    public async Task A_failing_Job_replaces_failed_pods_until_backoffLimit_is_passed_then_fails_BackoffLimitExceeded()
    {
        var ns = await sandbox.NamespaceAsync("jobfail");
        await _client.BatchV1.CreateNamespacedJobAsync(Job("trial", backoffLimit: 1, fail: "loss is NaN"), ns);

        var job = await UntilCondition(ns, "trial", "Failed");
        var pods = await PodsAsync(ns, "trial");

        var failed = job.Status.Conditions.Single(c => c.Type == "Failed");
        Assert.Equal(("BackoffLimitExceeded", "Job has reached the specified backoff limit"), (failed.Reason, failed.Message));
        Assert.Contains(job.Status.Conditions, c => c.Type == "FailureTarget" && c.Reason == "BackoffLimitExceeded");
        Assert.DoesNotContain(job.Status.Conditions, c => c.Type == "Complete");
        // backoffLimit 1: the first failed pod is replaced once, the second failure passes the limit.
        Assert.Equal(2, job.Status.Failed);
        Assert.Equal(2, pods.Count);
        Assert.All(pods, p => Assert.Equal(("Failed", 1, "loss is NaN"), (p.Status.Phase, p.Status.ContainerStatuses[0].State.Terminated.ExitCode, p.Status.ContainerStatuses[0].State.Terminated.Message)));
    }

    [Fact]
    public async Task An_OnFailure_Job_restarts_its_container_in_place_and_fails_when_the_restarts_reach_backoffLimit()
    {
        var ns = await sandbox.NamespaceAsync("jobrestart");
        await _client.BatchV1.CreateNamespacedJobAsync(Job("trial", backoffLimit: 2, fail: "oom", restartPolicy: "OnFailure"), ns);

        var job = await UntilCondition(ns, "trial", "Failed");

        Assert.Equal("BackoffLimitExceeded", job.Status.Conditions.Single(c => c.Type == "Failed").Reason);
        Assert.Equal(0, job.Status.Failed ?? 0);
        // The one pod restarted in place was deleted when the Job failed.
        Assert.Empty(await PodsAsync(ns, "trial"));
    }

    [Fact]
    public async Task An_Indexed_Job_gives_each_pod_its_completion_index_and_completes_every_index()
    {
        var ns = await sandbox.NamespaceAsync("jobindexed");
        await _client.BatchV1.CreateNamespacedJobAsync(Job("sweep", parallelism: 3, completions: 3, mode: "Indexed"), ns);

        var job = await UntilCondition(ns, "sweep", "Complete");
        var pods = await PodsAsync(ns, "sweep");

        Assert.Equal("0-2", job.Status.CompletedIndexes);
        Assert.Equal(["0", "1", "2"], pods.Select(p => p.Metadata.Labels["batch.kubernetes.io/job-completion-index"]).Order());
        Assert.All(pods, p =>
        {
            var index = p.Metadata.Labels["batch.kubernetes.io/job-completion-index"];
            Assert.Matches($"^sweep-{index}-[a-z0-9]{{5}}$", p.Metadata.Name);
            Assert.Equal($"sweep-{index}", p.Spec.Hostname);
            Assert.Contains(p.Spec.Containers[0].Env, e => e.Name == "JOB_COMPLETION_INDEX");
        });
    }
}
