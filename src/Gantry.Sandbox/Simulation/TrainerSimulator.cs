using System.Text.Json.Nodes;
using Gantry.Core.Kinds.Trainer;
using Gantry.Core.Validation;
using Gantry.Sandbox.Api;
using Gantry.Sandbox.Hosting;
using Gantry.Sandbox.Store;

namespace Gantry.Sandbox.Simulation;

/// <summary>
/// Kubeflow Trainer's controller and JobSet's together, after the reference's recipe (§8): per
/// TrainJob the JobSet of the same name and its headless Service, then each replicated job's Job
/// and pods once its <c>dependsOn</c> is met (initializers Complete, MPI nodes Ready), each
/// finishing the planned duration after all its pods run. Success of the success-policy jobs is
/// Complete/AllJobsCompleted; a failing trainer pod (annotation <c>sandbox.gantry.io/fail</c>) fails
/// its Job and the TrainJob with JobSet's "first failed job" message; suspend deletes the pods;
/// <c>activeDeadlineSeconds</c> ends it DeadlineExceeded. <c>jobsStatus</c> follows every change;
/// conditions stay empty while it runs. Not simulated: pod restarts within backoffLimit, PodGroups,
/// the runtime snapshot ConfigMap and the MPI Secret and hostfile.
/// </summary>
internal sealed class TrainerSimulator(ClusterState state)
{
    private const string Group = "trainer.kubeflow.org";
    private readonly Dictionary<string, DateTimeOffset> _runningSince = [];
    private readonly TrainJobKind _kind = new(Gantry.Core.Resources.Resources.Zero);

    public void Step()
    {
        if (state.Catalog.Find(Group, "trainjobs") is not { } type || state.Catalog.Find("jobset.x-k8s.io", "jobsets") is not { } jobSets)
        {
            return;
        }
        foreach (var trainJob in state.Store.List(Group, "trainjobs", null).Items)
        {
            var managedBy = ObjectMeta.Text(trainJob["spec"]?["managedBy"]);
            var conditions = TrainingConditions.Read(trainJob);
            if ((managedBy is not null && managedBy != TrainJobKind.DefaultManager) || TrainingConditions.Has(conditions, "Complete") || TrainingConditions.Has(conditions, "Failed"))
            {
                continue;
            }
            if (RuntimeRef.Of(trainJob) is not { } reference || TrainJobWebhook.FindRuntime(state, reference, trainJob.Namespace()) is not { } runtime)
            {
                continue;
            }
            var resolved = _kind.Resolve(trainJob, runtime, new ValidationErrors());
            Reconcile(type, jobSets, trainJob, resolved, conditions);
        }
    }

    private void Reconcile(ResourceType type, ResourceType jobSetType, JsonObject trainJob, ResolvedTrainJob resolved, List<JsonObject> conditions)
    {
        var now = state.Time.GetUtcNow();
        var suspended = trainJob["spec"]?["suspend"] is JsonValue s && s.TryGetValue<bool>(out var b) && b;
        var jobSet = Owners.CreateOnce(state, jobSetType, JobSet(trainJob, resolved, suspended));
        Owners.CreateOnce(state, BuiltInTypes.Services, TrainerPods.Service(trainJob, jobSet));
        if (suspended)
        {
            foreach (var pod in Pods(trainJob, null))
            {
                Delete(BuiltInTypes.Pods, pod);
            }
            Owners.UpdateStatus(state, type, trainJob, status =>
            {
                if (!TrainingConditions.Has(TrainingConditions.Read(trainJob), "Suspended"))
                {
                    TrainingConditions.Set(status, TrainingConditions.Make("Suspended", "Suspended", "TrainJob is suspended", now));
                }
                status["jobsStatus"] = JobsStatus(trainJob, resolved, suspendedJobs: true);
            });
            return;
        }
        if (conditions.Any(c => ObjectMeta.Text(c["type"]) == "Suspended" && ObjectMeta.Text(c["status"]) == "True"))
        {
            // Resumed: the condition flips and the deadline counts from now.
            Owners.UpdateStatus(state, type, trainJob, status => TrainingConditions.Set(status,
                TrainingConditions.Make("Suspended", "Resumed", "TrainJob is resumed", now) is var c ? SetFalse(c) : c));
            _runningSince[trainJob.Uid() + "/deadline"] = now;
        }
        var deadlineFrom = _runningSince.GetValueOrDefault(trainJob.Uid() + "/deadline", Created(trainJob) ?? now);
        if (trainJob["spec"]?["activeDeadlineSeconds"] is JsonValue d && d.TryGetValue<long>(out var seconds) && now - deadlineFrom >= TimeSpan.FromSeconds(seconds))
        {
            Delete(jobSetType, jobSet);
            foreach (var pod in Pods(trainJob, null))
            {
                Delete(BuiltInTypes.Pods, pod);
            }
            End(type, trainJob, resolved, "Failed", "DeadlineExceeded", "TrainJob exceeded its active deadline", now);
            return;
        }
        var plan = RunPlan.For(trainJob, state.Options.DefaultRunDuration);
        foreach (var step in resolved.Steps)
        {
            var job = state.Store.Get(ObjectKey.For(BuiltInTypes.Jobs, trainJob.Namespace(), TrainerPods.JobName(trainJob, step)));
            if (job is null)
            {
                if (step.DependsOn.All(dep => resolved.Steps.FirstOrDefault(x => x.Name == dep.Key) is { } other && Reached(trainJob, other, dep.Value)))
                {
                    job = Owners.CreateOnce(state, BuiltInTypes.Jobs, TrainerPods.Job(trainJob, jobSet, step));
                    for (var i = 0; i < step.Pods; i++)
                    {
                        state.Store.Create(BuiltInTypes.Pods, TrainerPods.Pod(trainJob, job, resolved, step, i));
                    }
                }
                continue;
            }
            Advance(type, trainJob, resolved, step, plan, now);
        }
        if (TrainingConditions.Has(TrainingConditions.Read(Current(type, trainJob) ?? trainJob), "Failed"))
        {
            return;
        }
        var targets = Targets(jobSet, resolved);
        if (targets.All(step => Reached(trainJob, step, "Complete")))
        {
            // JobSet deletes the Jobs still running once it completes: the MPI sshd nodes.
            foreach (var pod in Pods(trainJob, null).Where(p => !PodStatus.IsTerminal(p)))
            {
                Delete(BuiltInTypes.Pods, pod);
            }
            End(type, trainJob, resolved, "Complete", "AllJobsCompleted", "jobset completed successfully", now);
            return;
        }
        Owners.UpdateStatus(state, type, trainJob, status => status["jobsStatus"] = JobsStatus(trainJob, resolved, suspendedJobs: false));
    }

    /// <summary>A step whose pods all run finishes the planned time later; the trainer's first pod fails when the job is planned to.</summary>
    private void Advance(ResourceType type, JsonObject trainJob, ResolvedTrainJob resolved, TrainerStep step, RunPlan plan, DateTimeOffset now)
    {
        var pods = Pods(trainJob, step.Name);
        var key = $"{trainJob.Uid()}/{step.Name}";
        if (pods.Count < step.Pods || !pods.All(p => PodStatus.Phase(p) == "Running"))
        {
            return;
        }
        if (!_runningSince.TryGetValue(key, out var since))
        {
            _runningSince[key] = now;
            return;
        }
        // MPI node pods run sshd until the JobSet completes.
        if (now - since < plan.Duration || (resolved.Policy.IsMpi && step.Ancestor is null && step.Name == "node"))
        {
            return;
        }
        _runningSince.Remove(key);
        var ordered = pods.OrderBy(p => ObjectMeta.Text(p["metadata"]?["labels"]?["batch.kubernetes.io/job-completion-index"]), StringComparer.Ordinal).ToList();
        if (plan.FailureMessage is { } failure && step.Ancestor == TrainerStep.TrainerAncestor)
        {
            Owners.Terminate(state, ordered[0], 1, failure, $"RuntimeError: {failure}");
            foreach (var other in Pods(trainJob, null).Where(p => !PodStatus.IsTerminal(p)))
            {
                Delete(BuiltInTypes.Pods, other);
            }
            End(type, trainJob, resolved, "Failed", "FailedJobs",
                $"jobset failed due to one or more job failures (first failed job: {TrainerPods.JobName(trainJob, step)})", now);
            return;
        }
        foreach (var pod in ordered)
        {
            Owners.Terminate(state, pod, 0, null, $"{step.Name} done");
        }
    }

    private void End(ResourceType type, JsonObject trainJob, ResolvedTrainJob resolved, string condition, string reason, string message, DateTimeOffset now) =>
        Owners.UpdateStatus(state, type, trainJob, status =>
        {
            TrainingConditions.Set(status, TrainingConditions.Make(condition, reason, message, now));
            status["jobsStatus"] = JobsStatus(trainJob, resolved, suspendedJobs: false);
        });

    /// <summary>Whether a step's pods are all Ready (running or done) or all Complete (succeeded).</summary>
    private bool Reached(JsonObject trainJob, TrainerStep step, string status)
    {
        var pods = Pods(trainJob, step.Name);
        return pods.Count >= step.Pods && pods.All(p => status == "Ready"
            ? PodStatus.Phase(p) is "Running" or "Succeeded"
            : PodStatus.Phase(p) == "Succeeded");
    }

    private static IReadOnlyList<TrainerStep> Targets(JsonObject jobSet, ResolvedTrainJob resolved)
    {
        var named = (jobSet["spec"]?["successPolicy"]?["targetReplicatedJobs"] as JsonArray ?? []).Select(t => t?.ToString()).ToHashSet();
        return named.Count == 0 ? resolved.Steps : [.. resolved.Steps.Where(s => named.Contains(s.Name))];
    }

    /// <summary>One entry per replicated job, counting its Job (0 or 1), as the Trainer copies JobSet's replicatedJobsStatus.</summary>
    private JsonArray JobsStatus(JsonObject trainJob, ResolvedTrainJob resolved, bool suspendedJobs)
    {
        var list = new JsonArray();
        foreach (var step in resolved.Steps)
        {
            var exists = state.Store.Get(ObjectKey.For(BuiltInTypes.Jobs, trainJob.Namespace(), TrainerPods.JobName(trainJob, step))) is not null;
            var pods = Pods(trainJob, step.Name);
            var failed = pods.Any(p => PodStatus.Phase(p) == "Failed");
            var succeeded = !failed && pods.Count >= step.Pods && pods.All(p => PodStatus.Phase(p) == "Succeeded");
            var ready = !failed && pods.Count >= step.Pods && pods.All(p => PodStatus.Phase(p) is "Running" or "Succeeded");
            var active = exists && !suspendedJobs && !failed && !succeeded && pods.Any(p => !PodStatus.IsTerminal(p));
            list.Add(new JsonObject
            {
                ["name"] = step.Name,
                ["ready"] = ready && active ? 1 : 0,
                ["succeeded"] = succeeded ? 1 : 0,
                ["failed"] = failed ? 1 : 0,
                ["active"] = active ? 1 : 0,
                ["suspended"] = suspendedJobs ? 1 : 0,
            });
        }
        return list;
    }

    private List<JsonObject> Pods(JsonObject trainJob, string? step) =>
        state.Store.List("", "pods", trainJob.Namespace(), p =>
            p.Labels().GetValueOrDefault(TrainerPods.JobSetName) == trainJob.Name()
            && (step is null || p.Labels().GetValueOrDefault(TrainerPods.ReplicatedJob) == step)).Items;

    private static JsonObject JobSet(JsonObject trainJob, ResolvedTrainJob resolved, bool suspended)
    {
        var template = resolved.Runtime.Spec["template"] as JsonObject ?? [];
        var spec = template["spec"]?.DeepClone() as JsonObject ?? [];
        var jobs = new JsonArray();
        foreach (var step in resolved.Steps)
        {
            jobs.Add(new JsonObject { ["name"] = step.Name, ["replicas"] = step.Replicas, ["template"] = new JsonObject { ["spec"] = new JsonObject
            {
                ["parallelism"] = step.Count, ["completions"] = step.Count, ["template"] = new JsonObject { ["spec"] = step.PodSpec.DeepClone() },
            } } });
        }
        spec["replicatedJobs"] = jobs;
        spec["suspend"] = suspended;
        return new JsonObject
        {
            ["apiVersion"] = "jobset.x-k8s.io/v1alpha2",
            ["kind"] = "JobSet",
            ["metadata"] = new JsonObject
            {
                ["name"] = trainJob.Name(),
                ["namespace"] = trainJob.Namespace(),
                ["labels"] = template["metadata"]?["labels"]?.DeepClone() ?? new JsonObject(),
                ["ownerReferences"] = Owners.ReferenceTo(trainJob),
            },
            ["spec"] = spec,
        };
    }

    private JsonObject? Current(ResourceType type, JsonObject trainJob) => state.Store.Get(ObjectKey.For(type, trainJob.Namespace(), trainJob.Name()));

    private static DateTimeOffset? Created(JsonObject obj) =>
        DateTimeOffset.TryParse(ObjectMeta.Text(obj["metadata"]?["creationTimestamp"]), System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    private static JsonObject SetFalse(JsonObject condition)
    {
        condition["status"] = "False";
        return condition;
    }

    private void Delete(ResourceType type, JsonObject obj)
    {
        try
        {
            state.Store.Delete(type, ObjectKey.For(type, obj.Namespace(), obj.Name()));
        }
        catch (ApiException e) when (e.Code == 404)
        {
            // Gone already.
        }
    }
}
