using System.Globalization;
using System.Text.Json.Nodes;
using Gantry.Core.Kinds.Trainer;
using Gantry.Sandbox.Store;

namespace Gantry.Sandbox.Simulation;

/// <summary>
/// What JobSet makes for one replicated job of a TrainJob's JobSet (trainer reference §8): the Job
/// <c>&lt;tj&gt;-&lt;rjob&gt;-0</c> and its pods <c>&lt;tj&gt;-&lt;rjob&gt;-0-&lt;index&gt;-&lt;rand5&gt;</c> with
/// hostname <c>&lt;tj&gt;-&lt;rjob&gt;-0-&lt;index&gt;</c>, subdomain <c>&lt;tj&gt;</c>, JobSet's and the Job's
/// labels, and in trainer pods the runtime's environment (<see cref="TrainerEnv"/>) for its rank.
/// </summary>
internal static class TrainerPods
{
    public const string JobSetName = "jobset.sigs.k8s.io/jobset-name";
    public const string ReplicatedJob = "jobset.sigs.k8s.io/replicatedjob-name";

    public static string JobName(JsonObject trainJob, TrainerStep step) => $"{trainJob.Name()}-{step.Name}-0";

    public static JsonObject Job(JsonObject trainJob, JsonObject jobSet, TrainerStep step) => new()
    {
        ["apiVersion"] = "batch/v1",
        ["kind"] = "Job",
        ["metadata"] = new JsonObject
        {
            ["name"] = JobName(trainJob, step),
            ["namespace"] = trainJob.Namespace(),
            ["labels"] = new JsonObject { [JobSetName] = trainJob.Name(), [ReplicatedJob] = step.Name, ["jobset.sigs.k8s.io/job-index"] = "0" },
            ["ownerReferences"] = Owners.ReferenceTo(jobSet),
        },
        ["spec"] = new JsonObject
        {
            ["parallelism"] = step.Count,
            ["completions"] = step.Count,
            ["completionMode"] = "Indexed",
            ["backoffLimit"] = 6,
            ["template"] = new JsonObject { ["spec"] = step.PodSpec.DeepClone() },
        },
        ["status"] = new JsonObject { ["active"] = step.Count },
    };

    public static JsonObject Pod(JsonObject trainJob, JsonObject job, ResolvedTrainJob resolved, TrainerStep step, int index)
    {
        var tj = trainJob.Name();
        var spec = step.PodSpec.DeepClone().AsObject();
        spec["restartPolicy"] = "Never";
        spec["schedulerName"] = "default-scheduler";
        spec["hostname"] = $"{tj}-{step.Name}-0-{index}";
        spec["subdomain"] = tj;
        var isTrainer = step.Ancestor == TrainerStep.TrainerAncestor;
        if (isTrainer && TrainJobResolver.Container(spec, "node") is { } node)
        {
            var env = new JsonArray([.. TrainerEnv.InCluster(tj).For(resolved, trainJob, index)
                .Select(e => (JsonNode)new JsonObject { ["name"] = e.Name, ["value"] = e.Value })]);
            TrainJobResolver.UpsertEnv(node, env);
            if (resolved.Policy.Framework is MlPolicy.Torch or MlPolicy.Jax or MlPolicy.XGBoost)
            {
                node["ports"] = new JsonArray(new JsonObject { ["containerPort"] = TrainerEnv.ContainerPort, ["protocol"] = "TCP" });
            }
        }
        var rank = index.ToString(CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = $"{tj}-{step.Name}-0-{index}-{Guid.NewGuid().ToString("N")[..5]}",
                ["namespace"] = trainJob.Namespace(),
                ["labels"] = new JsonObject
                {
                    [JobSetName] = tj,
                    [ReplicatedJob] = step.Name,
                    ["jobset.sigs.k8s.io/job-index"] = "0",
                    ["jobset.sigs.k8s.io/job-key"] = $"{tj}-{step.Name}-0",
                    ["jobset.sigs.k8s.io/jobset-uid"] = trainJob.Uid(),
                    ["jobset.sigs.k8s.io/restart-attempt"] = "0",
                    ["jobset.sigs.k8s.io/replicatedjob-replicas"] = step.Replicas.ToString(CultureInfo.InvariantCulture),
                    ["batch.kubernetes.io/job-name"] = job.Name(),
                    ["batch.kubernetes.io/controller-uid"] = job.Uid(),
                    ["batch.kubernetes.io/job-completion-index"] = rank,
                },
                ["annotations"] = new JsonObject { ["batch.kubernetes.io/job-completion-index"] = rank },
                ["ownerReferences"] = Owners.ReferenceTo(job),
            },
            ["spec"] = spec,
            ["status"] = new JsonObject { ["phase"] = "Pending" },
        };
    }

    /// <summary>The JobSet's headless Service, named like the TrainJob, behind which the pods' host names resolve.</summary>
    public static JsonObject Service(JsonObject trainJob, JsonObject jobSet) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Service",
        ["metadata"] = new JsonObject { ["name"] = trainJob.Name(), ["namespace"] = trainJob.Namespace(), ["ownerReferences"] = Owners.ReferenceTo(jobSet) },
        ["spec"] = new JsonObject
        {
            ["clusterIP"] = "None",
            ["publishNotReadyAddresses"] = true,
            ["selector"] = new JsonObject { [JobSetName] = trainJob.Name() },
        },
    };
}
