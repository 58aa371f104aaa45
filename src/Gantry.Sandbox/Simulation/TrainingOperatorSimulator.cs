using System.Text.Json.Nodes;
using Gantry.Sandbox.Hosting;
using Gantry.Sandbox.Store;

namespace Gantry.Sandbox.Simulation;

/// <summary>
/// Moves PyTorchJobs or JAXJobs through the Training Operator's conditions: Created (pods and
/// headless Services made), Running once every replica runs, then after the planned duration
/// Succeeded, or Failed when worker 0 fails (other running replicas are then removed, as with
/// <c>cleanPodPolicy: Running</c>). Keeps <c>replicaStatuses</c> current.
/// </summary>
internal sealed class TrainingOperatorSimulator(ClusterState state, string kind, string plural, string replicaField, string controller)
{
    private const string Group = "kubeflow.org";
    private readonly Dictionary<string, DateTimeOffset> _runningSince = [];

    public static TrainingOperatorSimulator PyTorch(ClusterState state) => new(state, "PyTorchJob", "pytorchjobs", "pytorchReplicaSpecs", "pytorchjob-controller");

    public static TrainingOperatorSimulator Jax(ClusterState state) => new(state, "JAXJob", "jaxjobs", "jaxReplicaSpecs", "jaxjob-controller");

    public void Step()
    {
        if (state.Catalog.Find(Group, plural) is not { } type)
        {
            return;
        }
        foreach (var job in state.Store.List(Group, plural, null).Items)
        {
            var conditions = TrainingConditions.Read(job);
            if (conditions.Count == 0)
            {
                Create(type, job);
            }
            else if (!TrainingConditions.IsFinished(conditions))
            {
                Progress(type, job, conditions);
            }
        }
    }

    private void Create(ResourceType type, JsonObject job)
    {
        var replicas = TrainingPods.Replicas(job, replicaField);
        foreach (var replica in replicas)
        {
            var labels = TrainingPods.Labels(job, controller, replica, TrainingPods.IsMasterRole(replica, replicas));
            Owners.CreateOnce(state, BuiltInTypes.Services, TrainingPods.HeadlessService(job, replica, labels));
            Owners.CreateOnce(state, BuiltInTypes.Pods, TrainingPods.Pod(job, replica, labels));
        }
        var now = state.Time.GetUtcNow();
        Owners.UpdateStatus(state, type, job, status =>
        {
            status["conditions"] = new JsonArray(TrainingConditions.Make("Created", $"{kind}Created", $"{kind} {job.Name()} is created.", now));
            status["replicaStatuses"] = ReplicaStatuses(job, replicas, []);
            status["lastReconcileTime"] = ObjectMeta.Timestamp(now);
        });
    }

    private void Progress(ResourceType type, JsonObject job, List<JsonObject> conditions)
    {
        var replicas = TrainingPods.Replicas(job, replicaField);
        var pods = replicas.Select(r => state.Store.Get(ObjectKey.For(BuiltInTypes.Pods, job.Namespace(), TrainingPods.Name(job, r)))).ToList();
        var now = state.Time.GetUtcNow();
        var allRunning = pods.All(p => p is not null && PodStatus.Phase(p) == "Running");
        if (allRunning && !TrainingConditions.Has(conditions, "Running"))
        {
            _runningSince[job.Uid()] = now;
            Owners.UpdateStatus(state, type, job, status =>
            {
                TrainingConditions.Set(status, TrainingConditions.Make("Running", $"{kind}Running", $"{kind} {job.Name()} is running.", now));
                status["startTime"] = ObjectMeta.Timestamp(now);
                status["replicaStatuses"] = ReplicaStatuses(job, replicas, pods);
            });
            return;
        }
        var plan = RunPlan.For(job, state.Options.DefaultRunDuration);
        if (allRunning && _runningSince.TryGetValue(job.Uid(), out var since) && now - since >= plan.Duration)
        {
            _runningSince.Remove(job.Uid());
            Finish(type, job, replicas, pods!, plan, now);
        }
    }

    private void Finish(ResourceType type, JsonObject job, List<TrainingPods.Replica> replicas, List<JsonObject?> pods, RunPlan plan, DateTimeOffset now)
    {
        var failing = plan.FailureMessage is null ? -1 : Math.Max(replicas.FindIndex(r => r.Type == "Worker" && r.Index == 0), 0);
        for (var i = 0; i < replicas.Count; i++)
        {
            var pod = pods[i]!;
            if (failing < 0)
            {
                Owners.Terminate(state, pod, 0, null, "Training complete.");
            }
            else if (i == failing)
            {
                Owners.Terminate(state, pod, 1, plan.FailureMessage, $"RuntimeError: {plan.FailureMessage}");
            }
            else
            {
                DeletePod(pod);
            }
        }
        var after = replicas.Select(r => state.Store.Get(ObjectKey.For(BuiltInTypes.Pods, job.Namespace(), TrainingPods.Name(job, r)))).ToList();
        Owners.UpdateStatus(state, type, job, status =>
        {
            var condition = failing < 0
                ? TrainingConditions.Make("Succeeded", $"{kind}Succeeded", $"{kind} {job.Name()} is successfully completed.", now)
                : TrainingConditions.Make("Failed", $"{kind}Failed", $"{kind} {job.Name()} is failed because 1 {replicas[failing].Type} replica(s) failed.", now);
            TrainingConditions.Set(status, condition);
            status["completionTime"] = ObjectMeta.Timestamp(now);
            status["replicaStatuses"] = ReplicaStatuses(job, replicas, after);
            status["lastReconcileTime"] = ObjectMeta.Timestamp(now);
        });
    }

    private void DeletePod(JsonObject pod)
    {
        try
        {
            state.Store.Delete(BuiltInTypes.Pods, ObjectKey.For(BuiltInTypes.Pods, pod.Namespace(), pod.Name()));
            state.Logs.Remove(pod.Namespace(), pod.Name());
        }
        catch (Api.ApiException e) when (e.Code == 404)
        {
            // Gone already.
        }
    }

    private JsonObject ReplicaStatuses(JsonObject job, List<TrainingPods.Replica> replicas, List<JsonObject?> pods)
    {
        var statuses = new JsonObject();
        foreach (var group in replicas.Select((r, i) => (Replica: r, Pod: i < pods.Count ? pods[i] : null)).GroupBy(x => x.Replica.Type))
        {
            int Count(string phase) => group.Count(x => x.Pod is not null && PodStatus.Phase(x.Pod) == phase);
            statuses[group.Key] = new JsonObject
            {
                ["active"] = Count("Running"),
                ["succeeded"] = Count("Succeeded"),
                ["failed"] = Count("Failed"),
                ["selector"] = $"training.kubeflow.org/job-name={job.Name()},training.kubeflow.org/operator-name={controller},training.kubeflow.org/replica-type={group.Key.ToLowerInvariant()}",
            };
        }
        return statuses;
    }
}
