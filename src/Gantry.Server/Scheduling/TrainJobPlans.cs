using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Gantry.Core.Clusters;
using Gantry.Core.Jobs;
using Gantry.Core.Kinds;
using Gantry.Core.Kinds.Trainer;
using Gantry.Core.Resources;
using Gantry.Core.Validation;

namespace Gantry.Server.Scheduling;

/// <summary>
/// A TrainJob on each cluster: its runtime there (or why the cluster lacks it) and the gang that
/// runtime makes, for the scheduler's snapshot, explain and submission. A queued job's plan is
/// kept a few seconds, so a round does not resolve every TrainJob again, yet a runtime installed
/// later is seen soon.
/// </summary>
public sealed class TrainJobPlans(JobKindRegistry kinds, TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, (DateTimeOffset Until, TrainJobPlan Plan)> _plans = new(StringComparer.Ordinal);

    private TrainJobKind Kind => kinds.TryGet("TrainJob", out var kind) && kind is TrainJobKind train ? train : new TrainJobKind();

    /// <summary>The plan of a queued job (none for other kinds), from <paramref name="clusters"/> as observed now.</summary>
    public TrainJobPlan For(Job job, IReadOnlyList<(Cluster Cluster, ClusterStatus Status)> clusters)
    {
        if (job.Kind != "TrainJob")
        {
            return TrainJobPlan.None;
        }
        var now = time.GetUtcNow();
        if (_plans.TryGetValue(job.Id, out var kept) && kept.Until > now)
        {
            return kept.Plan;
        }
        var plan = Plan(JsonNode.Parse(job.Manifest) as JsonObject ?? [], clusters);
        _plans[job.Id] = (now + Lifetime, plan);
        return plan;
    }

    /// <summary>
    /// Resolves the TrainJob on every cluster that runs TrainJobs and has said which runtimes it has.
    /// A cluster not answering yet is left out either way: the job may wait for it.
    /// </summary>
    public TrainJobPlan Plan(JsonObject manifest, IReadOnlyList<(Cluster Cluster, ClusterStatus Status)> clusters)
    {
        var reference = RuntimeRef.Of(manifest);
        var ns = manifest["metadata"]?["namespace"]?.ToString();
        var demands = new Dictionary<string, ResourceDemand>(StringComparer.Ordinal);
        var refusals = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new Dictionary<string, ValidationErrors>(StringComparer.Ordinal);
        if (reference is null)
        {
            return TrainJobPlan.None;
        }
        foreach (var (cluster, status) in clusters)
        {
            if (!status.Healthy || !status.Kinds.Contains("TrainJob"))
            {
                continue;
            }
            var runtime = status.Runtimes.FirstOrDefault(r => r.Kind == reference.Kind && r.Name == reference.Name
                && (reference.Kind == TrainingRuntime.ClusterKind || ns is null || r.Namespace == ns));
            if (runtime is null)
            {
                refusals[cluster.Name] = $"no {reference}";
                continue;
            }
            var errors = new ValidationErrors();
            var resolved = Kind.Resolve(manifest, runtime, errors);
            if (!errors.IsEmpty)
            {
                problems[cluster.Name] = errors;
                refusals[cluster.Name] = string.Join("; ", errors.ToDictionary().Select(e => $"{e.Key} {string.Join(", ", e.Value)}"));
                continue;
            }
            demands[cluster.Name] = resolved.Demand();
        }
        return new TrainJobPlan(demands, refusals, problems);
    }

    /// <summary>Drops the plans of jobs no longer among <paramref name="queued"/>.</summary>
    public void Retain(IReadOnlyCollection<Job> queued)
    {
        if (_plans.Count <= queued.Count)
        {
            return;
        }
        var ids = queued.Select(j => j.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var id in _plans.Keys.Where(id => !ids.Contains(id)))
        {
            _plans.TryRemove(id, out _);
        }
    }
}

/// <summary>A TrainJob's gang on each cluster that has its runtime, and why each other cluster cannot run it.</summary>
/// <param name="Problems">Per cluster, what upstream's webhook would refuse against that cluster's runtime, by field.</param>
public sealed record TrainJobPlan(
    IReadOnlyDictionary<string, ResourceDemand> Demands,
    IReadOnlyDictionary<string, string> Refusals,
    IReadOnlyDictionary<string, ValidationErrors> Problems)
{
    public static TrainJobPlan None { get; } = new(new Dictionary<string, ResourceDemand>(), new Dictionary<string, string>(), new Dictionary<string, ValidationErrors>());
}
