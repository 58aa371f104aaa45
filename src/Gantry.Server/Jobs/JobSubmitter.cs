using System.Collections.Concurrent;
using System.Security.Cryptography;
using Gantry.Core.Errors;
using Gantry.Core.Jobs;
using Gantry.Core.Kinds;
using Gantry.Core.Queues;
using Gantry.Core.Validation;
using Gantry.Server.Auth;
using Gantry.Server.Clusters;
using Gantry.Server.Manifests;
using Gantry.Server.Monitoring;
using Gantry.Storage;

namespace Gantry.Server.Jobs;

/// <summary>
/// Turns a read submission into a stored, queued job: the kind validates the manifest and
/// computes its demand, the queue must exist, and the insert is durable before it returns.
/// A kind no registered cluster runs is refused here rather than queued to fail.
/// Nothing slow happens here; the scheduler takes it from the store.
/// </summary>
public sealed class JobSubmitter(
    IGantryStore store, JobKindRegistry kinds, ClusterViews clusters, ManifestSchemas schemas, Scheduling.TrainJobPlans trainJobPlans,
    JobChangeNotifier notifier, JobMetrics metrics, TimeProvider time)
{
    private static readonly TimeSpan QueueCacheLifetime = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, (Queue Queue, DateTimeOffset Until)> _knownQueues = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _runnableKinds = new(StringComparer.Ordinal);

    /// <param name="errors">What reading the submission already found wrong; reported with the rest, as one 422.</param>
    public async Task<SubmitOutcome> SubmitAsync(
        Submission submission, ValidationErrors errors, Caller caller, string? idempotencyKey, byte[] body, CancellationToken cancellationToken)
    {
        var kindName = submission.Manifest?["kind"] is System.Text.Json.Nodes.JsonValue k && k.GetValueKind() == System.Text.Json.JsonValueKind.String
            ? k.GetValue<string>()
            : null;
        var demand = Core.Resources.ResourceDemand.None;
        if (submission.Manifest is null)
        {
            // Already reported as missing.
        }
        else if (kindName is null)
        {
            errors.Add("manifest.kind", $"is required; one of {string.Join(", ", kinds.Names)}");
        }
        else if (!kinds.TryGet(kindName, out var kind))
        {
            errors.Add("manifest.kind", $"'{kindName}' is not a kind Gantry runs; use one of {string.Join(", ", kinds.Names)}");
        }
        else
        {
            demand = kind.Analyze(submission.Manifest, errors);
            if (kind.Resource is not null)
            {
                await schemas.CheckAsync(submission.Manifest, errors, cancellationToken);
            }
            if (await NoClusterRunsAsync(kindName, cancellationToken) is { } problem)
            {
                errors.Add("manifest.kind", problem);
            }
            else if (kind is Core.Kinds.Trainer.TrainJobKind && errors.IsEmpty)
            {
                demand = await TrainJobDemandAsync(submission.Manifest, errors, cancellationToken);
            }
        }
        if (!QueueRules.IsValidName(submission.Queue))
        {
            errors.Add("queue", $"'{submission.Queue}' is not a valid queue name");
        }
        else if (await QueueAsync(submission.Queue, cancellationToken) is not { } queue)
        {
            var existing = (await store.Queues.ListAsync(cancellationToken)).Select(q => q.Name);
            errors.Add("queue", $"queue '{submission.Queue}' does not exist; existing queues: {string.Join(", ", existing)}");
        }
        else if (!caller.IsAdmin && !queue.Admits(caller.Name, caller.Groups))
        {
            // Refused before the manifest's problems are reported. Who is on the list is not said: that is the admins' business.
            throw new ForbiddenException(
                $"{caller.Name} may not submit to queue '{queue.Name}': neither you nor a group of yours is on its access list. Ask an admin to add you (gantry queues set {queue.Name} --allow-user {caller.Name}), or use another queue.");
        }
        errors.ThrowIfAny("The submission has invalid fields.");

        var now = time.GetUtcNow();
        var id = JobId.New();
        var job = new Job
        {
            Id = id,
            Name = submission.Name ?? $"{kindName!.ToLowerInvariant()}-{id}",
            Kind = kindName!,
            Queue = submission.Queue,
            Owner = caller.Name,
            Priority = submission.Priority,
            Labels = submission.Labels,
            Manifest = submission.Manifest!.ToJsonString(),
            Demand = demand,
            State = JobState.Queued,
            Message = "submitted; waiting for the scheduler",
            MaxAttempts = submission.MaxAttempts,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var outcome = await store.Jobs.InsertAsync(
            new NewJob(job, idempotencyKey, idempotencyKey is null ? null : Convert.ToHexStringLower(SHA256.HashData(body))),
            cancellationToken);
        if (outcome.Created)
        {
            notifier.Notify(job.Id);
            metrics.Submitted(job);
        }
        return outcome;
    }

    private async Task<Queue?> QueueAsync(string name, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_knownQueues.TryGetValue(name, out var known) && known.Until > now)
        {
            return known.Queue;
        }
        if (await store.Queues.GetAsync(name, cancellationToken) is not { } queue)
        {
            _knownQueues.TryRemove(name, out _);
            return null;
        }
        _knownQueues[name] = (queue, now + QueueCacheLifetime);
        return queue;
    }

    /// <summary>
    /// Why no registered cluster can run <paramref name="kind"/>, or null when one lists it (or a cluster
    /// is unobserved, so its kinds are unknown). Positive answers are cached like queue names.
    /// </summary>
    private async Task<string?> NoClusterRunsAsync(string kind, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_runnableKinds.TryGetValue(kind, out var until) && until > now)
        {
            return null;
        }
        var statuses = await clusters.ListAsync(cancellationToken);
        if (statuses.Any(c => c.Status.Kinds.Contains(kind)) || statuses.Any(c => !c.Status.Healthy))
        {
            _runnableKinds[kind] = now + QueueCacheLifetime;
            return null;
        }
        var listed = string.Join("; ", statuses.Select(c => $"{c.Cluster.Name} runs {string.Join(", ", c.Status.Kinds.Order(StringComparer.Ordinal))}"));
        var how = kind == "SparkApplication"
            ? "install Spark on the gateway's machine (set SPARK_HOME, or put spark-submit on PATH) and restart the gateway, or register a Kubernetes cluster that runs the Spark operator"
            : $"register a cluster that runs {kind} jobs";
        return $"no registered cluster runs {kind} jobs ({(listed.Length > 0 ? listed : "no clusters")}); {how}";
    }

    /// <summary>
    /// A TrainJob's gang on the first cluster (by name) that has its runtime: what the job is
    /// charged to its queue for until it runs. The scheduler fits each cluster with its own. A
    /// runtime no cluster has is refused here, with what each cluster has, as is a TrainJob that
    /// upstream's webhook would refuse against every cluster's copy of its runtime.
    /// </summary>
    private async Task<Core.Resources.ResourceDemand> TrainJobDemandAsync(
        System.Text.Json.Nodes.JsonObject manifest, ValidationErrors errors, CancellationToken cancellationToken)
    {
        var statuses = await clusters.ListAsync(cancellationToken);
        var plan = trainJobPlans.Plan(manifest, statuses);
        if (plan.Demands.Count > 0)
        {
            return plan.Demands.OrderBy(d => d.Key, StringComparer.Ordinal).First().Value;
        }
        var running = statuses.Where(c => c.Status.Kinds.Contains("TrainJob")).ToList();
        if (running.Any(c => !c.Status.Healthy) || running.Count == 0)
        {
            // A cluster that has not answered yet may have the runtime: the scheduler decides once it does.
            return Core.Resources.ResourceDemand.None;
        }
        if (plan.Problems.Count > 0)
        {
            foreach (var (field, messages) in plan.Problems.OrderBy(p => p.Key, StringComparer.Ordinal).First().Value.ToDictionary())
            {
                foreach (var message in messages)
                {
                    errors.Add(field, message);
                }
            }
            return Core.Resources.ResourceDemand.None;
        }
        var reference = Core.Kinds.Trainer.RuntimeRef.Of(manifest);
        var have = string.Join("; ", running.Select(c =>
            $"{c.Cluster.Name} has {(c.Status.Runtimes.Count == 0 ? "no runtimes" : string.Join(", ", c.Status.Runtimes.Select(r => r.Name).Order(StringComparer.Ordinal)))}"));
        errors.Add("manifest.spec.runtimeRef.name", $"no cluster has the {reference} this TrainJob names ({have})");
        return Core.Resources.ResourceDemand.None;
    }

    /// <summary>Forgets a cached queue, so a deleted queue stops accepting jobs, and a changed one applies its access lists, at once in this replica.</summary>
    public void ForgetQueue(string name) => _knownQueues.TryRemove(name, out _);
}
