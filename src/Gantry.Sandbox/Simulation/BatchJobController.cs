using System.Text.Json.Nodes;
using Gantry.Sandbox.Api;
using Gantry.Sandbox.Hosting;
using Gantry.Sandbox.Store;

namespace Gantry.Sandbox.Simulation;

/// <summary>
/// Kubernetes' Job controller for standalone batch/v1 Jobs (a JobSet's Jobs, beneath a TrainJob,
/// are the Trainer simulation's). Keeps <c>min(parallelism, completions left)</c> pods active
/// (parallelism defaults to 1; without completions the Job is a work queue, done once a pod
/// succeeded and none is active); each runs the planned duration once running, then succeeds, or
/// fails with the <c>sandbox.gantry.io/fail</c> message. A failed pod (restartPolicy Never) is
/// replaced until more than <c>backoffLimit</c> (default 6) have failed; under OnFailure the
/// container restarts in place until the restarts reach it. As in Kubernetes 1.31 and later, the
/// end is announced first (SuccessCriteriaMet/CompletionsReached, FailureTarget with
/// BackoffLimitExceeded or DeadlineExceeded), the remaining pods are deleted, and Complete or Failed
/// follows once none is left. <c>suspend</c> deletes the active pods. Not simulated: the back-off
/// delay between replacement pods, backoffLimitPerIndex, podFailurePolicy, successPolicy, TTL.
/// </summary>
internal sealed class BatchJobController(ClusterState state)
{
    private const string BackoffMessage = "Job has reached the specified backoff limit";
    private const string DeadlineMessage = "Job was active longer than specified deadline";
    private readonly Dictionary<string, DateTimeOffset> _runningSince = [];

    public void Step()
    {
        foreach (var job in state.Store.List("batch", "jobs", null).Items)
        {
            var conditions = TrainingConditions.Read(job);
            if (TrainingConditions.Has(conditions, "Complete") || TrainingConditions.Has(conditions, "Failed") || !IsOurs(job))
            {
                continue;
            }
            Reconcile(job, conditions);
        }
    }

    /// <summary>Jobs with another controller's <c>managedBy</c>, or made by a JobSet, are not this controller's.</summary>
    private static bool IsOurs(JsonObject job) =>
        ObjectMeta.Text(job["spec"]?["managedBy"]) is null or "kubernetes.io/job-controller"
        && !(job["metadata"]?["ownerReferences"] as JsonArray ?? []).Any(o => ObjectMeta.Text(o?["kind"]) == "JobSet");

    private void Reconcile(JsonObject job, List<JsonObject> conditions)
    {
        var now = state.Time.GetUtcNow();
        var spec = job["spec"] as JsonObject ?? [];
        var pods = Pods(job);
        var ending = conditions.FirstOrDefault(c => ObjectMeta.Text(c["type"]) is "FailureTarget" or "SuccessCriteriaMet" && ObjectMeta.Text(c["status"]) == "True");
        if (ending is not null)
        {
            Finish(job, ending, pods, now);
            return;
        }
        if (Bool(spec["suspend"]))
        {
            Suspend(job, conditions, pods, now);
            return;
        }
        var plan = RunPlan.For(job, state.Options.DefaultRunDuration);
        var onFailure = ObjectMeta.Text(spec["template"]?["spec"]?["restartPolicy"]) == "OnFailure";
        foreach (var pod in pods.Where(p => PodStatus.Phase(p) == "Running"))
        {
            Advance(pod, plan, onFailure, now);
        }
        pods = Pods(job);
        var started = Started(job) ?? now;
        var backoffLimit = Int(spec["backoffLimit"]) ?? 6;
        var failed = pods.Count(p => PodStatus.Phase(p) == "Failed");
        var restarts = pods.Where(p => !PodStatus.IsTerminal(p)).Sum(BatchJobPods.Restarts);
        if (Int(spec["activeDeadlineSeconds"]) is { } deadline && now - started >= TimeSpan.FromSeconds(deadline))
        {
            End(job, pods, "FailureTarget", "DeadlineExceeded", DeadlineMessage, now);
            return;
        }
        if (onFailure ? (backoffLimit == 0 ? restarts > 0 : restarts >= backoffLimit) : failed > backoffLimit)
        {
            End(job, pods, "FailureTarget", "BackoffLimitExceeded", BackoffMessage, now);
            return;
        }
        var indexed = ObjectMeta.Text(spec["completionMode"]) == "Indexed";
        var parallelism = Int(spec["parallelism"]) ?? 1;
        // Kubernetes defaults completions to 1 only when parallelism is unset too; otherwise none means a work queue.
        var completions = Int(spec["completions"]) ?? (spec["parallelism"] is null ? 1 : null);
        var succeeded = pods.Where(p => PodStatus.Phase(p) == "Succeeded").ToList();
        var active = pods.Where(p => !PodStatus.IsTerminal(p)).ToList();
        var done = indexed ? succeeded.Select(BatchJobPods.IndexOf).OfType<int>().Distinct().Count() : succeeded.Count;
        if (completions is { } needed ? done >= needed : done > 0 && active.Count == 0)
        {
            End(job, pods, "SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods", now);
            return;
        }
        var wanted = completions is { } total ? Math.Min(parallelism, total - done) : done > 0 ? 0 : parallelism;
        var missing = new Queue<int>(indexed ? MissingIndexes(completions ?? 0, succeeded, active) : Enumerable.Empty<int>());
        for (var i = active.Count; i < wanted && (!indexed || missing.Count > 0); i++)
        {
            Owners.CreateOnce(state, BuiltInTypes.Pods, BatchJobPods.Pod(job, indexed ? missing.Dequeue() : null));
        }
        WriteStatus(job, Pods(job), now, started);
    }

    /// <summary>A running pod's container ends the planned duration after it started (or restarted).</summary>
    private void Advance(JsonObject pod, RunPlan plan, bool onFailure, DateTimeOffset now)
    {
        var since = _runningSince.TryGetValue(pod.Uid(), out var at) ? at : PodStatus.StartTime(pod) ?? now;
        _runningSince[pod.Uid()] = since;
        if (now - since < plan.Duration)
        {
            return;
        }
        if (plan.FailureMessage is not { } failure)
        {
            _runningSince.Remove(pod.Uid());
            Owners.Terminate(state, pod, 0, null, "done");
            return;
        }
        if (!onFailure)
        {
            _runningSince.Remove(pod.Uid());
            Owners.Terminate(state, pod, 1, failure, $"Error: {failure}");
            return;
        }
        state.Logs.Open(pod.Namespace(), pod.Name()).Append(now, $"Error: {failure}");
        _runningSince[pod.Uid()] = now;
        Update(BuiltInTypes.Pods, pod, current =>
        {
            BatchJobPods.RestartContainer(current, now, failure);
            return current;
        });
    }

    /// <summary>FailureTarget or SuccessCriteriaMet is set: the pods still active are deleted, and the final condition follows when none is left.</summary>
    private void End(JsonObject job, List<JsonObject> pods, string type, string reason, string message, DateTimeOffset now)
    {
        Owners.UpdateStatus(state, BuiltInTypes.Jobs, job, status => TrainingConditions.Set(status, TrainingConditions.Make(type, reason, message, now)));
        var current = state.Store.Get(ObjectKey.For(BuiltInTypes.Jobs, job.Namespace(), job.Name())) ?? job;
        Finish(current, TrainingConditions.Read(current).Last(), pods, now);
    }

    private void Finish(JsonObject job, JsonObject ending, List<JsonObject> pods, DateTimeOffset now)
    {
        foreach (var pod in pods.Where(p => !PodStatus.IsTerminal(p)))
        {
            Delete(BuiltInTypes.Pods, pod);
        }
        var remaining = Pods(job);
        var final = ObjectMeta.Text(ending["type"]) == "FailureTarget" ? "Failed" : "Complete";
        var started = Started(job) ?? now;
        WriteStatus(job, remaining, now, started, status =>
        {
            if (remaining.Any(p => !PodStatus.IsTerminal(p)))
            {
                return;
            }
            TrainingConditions.Set(status, TrainingConditions.Make(final, ObjectMeta.Text(ending["reason"]) ?? "", ObjectMeta.Text(ending["message"]) ?? "", now));
            if (final == "Complete")
            {
                status["completionTime"] = ObjectMeta.Timestamp(now);
            }
        });
    }

    private void Suspend(JsonObject job, List<JsonObject> conditions, List<JsonObject> pods, DateTimeOffset now)
    {
        foreach (var pod in pods.Where(p => !PodStatus.IsTerminal(p)))
        {
            Delete(BuiltInTypes.Pods, pod);
        }
        WriteStatus(job, Pods(job), now, null, status =>
        {
            status.Remove("startTime");
            if (!TrainingConditions.Has(conditions, "Suspended"))
            {
                TrainingConditions.Set(status, TrainingConditions.Make("Suspended", "JobSuspended", "Job suspended", now));
            }
        });
    }

    private void WriteStatus(JsonObject job, List<JsonObject> pods, DateTimeOffset now, DateTimeOffset? started, Action<JsonObject>? more = null) =>
        Owners.UpdateStatus(state, BuiltInTypes.Jobs, job, status =>
        {
            var succeeded = pods.Where(p => PodStatus.Phase(p) == "Succeeded").ToList();
            status["active"] = pods.Count(p => !PodStatus.IsTerminal(p));
            status["ready"] = pods.Count(p => PodStatus.Phase(p) == "Running");
            status["succeeded"] = succeeded.Count;
            status["failed"] = pods.Count(p => PodStatus.Phase(p) == "Failed");
            status["terminating"] = 0;
            status["uncountedTerminatedPods"] = new JsonObject();
            if (started is { } at && status["startTime"] is null)
            {
                status["startTime"] = ObjectMeta.Timestamp(at);
            }
            if (ObjectMeta.Text(job["spec"]?["completionMode"]) == "Indexed")
            {
                status["completedIndexes"] = BatchJobPods.Ranges(succeeded.Select(BatchJobPods.IndexOf).OfType<int>());
            }
            var suspended = TrainingConditions.Read(new JsonObject { ["status"] = status.DeepClone() })
                .FirstOrDefault(c => ObjectMeta.Text(c["type"]) == "Suspended" && ObjectMeta.Text(c["status"]) == "True");
            if (suspended is not null && !Bool(job["spec"]?["suspend"]))
            {
                // Resumed: the condition stays, False, as the controller leaves it.
                var resumed = TrainingConditions.Make("Suspended", "JobResumed", "Job resumed", now);
                resumed["status"] = "False";
                TrainingConditions.Set(status, resumed);
            }
            more?.Invoke(status);
        });

    /// <summary>An Indexed Job's indexes with neither a succeeded nor an active pod, lowest first.</summary>
    private static IEnumerable<int> MissingIndexes(int completions, List<JsonObject> succeeded, List<JsonObject> active)
    {
        var taken = succeeded.Concat(active).Select(BatchJobPods.IndexOf).OfType<int>().ToHashSet();
        return Enumerable.Range(0, completions).Where(i => !taken.Contains(i));
    }

    private List<JsonObject> Pods(JsonObject job) =>
        state.Store.List("", "pods", job.Namespace(), p => p.Labels().GetValueOrDefault(BatchJobPods.ControllerUid) == job.Uid()).Items;

    private static DateTimeOffset? Started(JsonObject job) =>
        DateTimeOffset.TryParse(ObjectMeta.Text(job["status"]?["startTime"]), System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    private static int? Int(JsonNode? node) => node is JsonValue v && v.TryGetValue<int>(out var n) ? n : null;

    private static bool Bool(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    private void Update(ResourceType type, JsonObject obj, Func<JsonObject, JsonObject> change)
    {
        try
        {
            state.Store.Update(type, ObjectKey.For(type, obj.Namespace(), obj.Name()), change);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            // Gone meanwhile.
        }
    }

    private void Delete(ResourceType type, JsonObject obj)
    {
        _runningSince.Remove(obj.Uid());
        try
        {
            state.Store.Delete(type, ObjectKey.For(type, obj.Namespace(), obj.Name()));
            state.Logs.Remove(obj.Namespace(), obj.Name());
        }
        catch (ApiException e) when (e.Code == 404)
        {
            // Gone already.
        }
    }
}
