using Gantry.Core.Jobs;
using Gantry.Core.Queues;
using Gantry.Core.Scheduling;
using Gantry.Server.Api;
using Gantry.Server.Clusters;
using Gantry.Server.Options;
using Gantry.Server.Replication;
using Gantry.Storage;
using Microsoft.Extensions.Options;

namespace Gantry.Server.Scheduling;

/// <summary>Answers "why is my job where it is?" from the scheduler's last round and the store.</summary>
public sealed class Explainer(
    IGantryStore store, LastRound lastRound, QueueUsageReader usage, BackendRegistry backends, LocalRefusals localRefusals,
    Leadership leadership, IOptions<GantryOptions> options)
{
    public async Task<ExplainDto> ExplainAsync(Job job, CancellationToken cancellationToken)
    {
        var queue = await store.Queues.GetAsync(job.Queue, cancellationToken);
        var usages = await usage.ReadAsync(cancellationToken);
        var queueUsage = usages.GetValueOrDefault(job.Queue) ?? QueueUsageDto.Empty;
        var quota = QuotaDto.From(queue?.Quota ?? QueueQuota.Unlimited);
        var round = lastRound.Current;

        // Which clusters cannot run it at all; a job that went to local was not refused there.
        var refused = job.Cluster == Core.Clusters.Cluster.LocalName ? [] : NotEligible(localRefusals.For(job));
        if (job.State != JobState.Queued)
        {
            var said = await ClusterSaysAsync(job, cancellationToken);
            var answer = said.Count == 0 ? Describe(job) : $"{Describe(job)} {ClusterSays(said)}";
            if (refused.Count > 0)
            {
                answer = $"{answer.TrimEnd().TrimEnd('.')}. Not eligible: {string.Join("; ", refused)}.";
            }
            return new ExplainDto(job.Id, job.State.ToString(), answer,
                new QueuePositionDto(job.Queue, null, (int)queueUsage.QueuedJobs, queueUsage, quota), [], round?.At)
            {
                ClusterSays = said,
                NotEligible = refused,
            };
        }

        var position = await store.Jobs.QueuedAheadAsync(job, cancellationToken) + 1;
        var where = new QueuePositionDto(job.Queue, position, (int)queueUsage.QueuedJobs, queueUsage, quota);
        var prefix = $"Queued, position {position} of {queueUsage.QueuedJobs} in queue {job.Queue}";
        if (round is not null && round.Result.Waiting.TryGetValue(job.Id, out var why))
        {
            var pending = round.Snapshot.Jobs.First(j => j.Id == job.Id);
            var verdicts = WaitAnalysis.Verdicts(pending, round.Snapshot, round.Result);
            // The round's own refusals, which its verdicts used; a CannotRun summary already names them.
            var notEligible = NotEligible(pending.Refused);
            var waiting = notEligible.Count == 0 || why.Code == ReasonCode.CannotRun
                ? $"{prefix}; {why.Summary}"
                : $"{prefix}; {why.Summary}; not eligible: {string.Join("; ", notEligible)}";
            return new ExplainDto(job.Id, job.State.ToString(), waiting,
                where, verdicts.Select(ClusterVerdictDto.From).ToList(), round.At) { Code = why.Code.ToString(), NotEligible = notEligible };
        }
        if (round is not null && round.Result.Placements.Any(p => p.JobId == job.Id))
        {
            return new ExplainDto(job.Id, job.State.ToString(), $"{prefix}; placed by the last round and about to be dispatched", where, [], round.At);
        }
        if (!leadership.IsLeader && job.Message.StartsWith(SchedulerService.WaitingPrefix, StringComparison.Ordinal))
        {
            // Rounds run on the leader; it stores each waiting job's reason, which any replica can read.
            // The per-cluster verdicts are the leader's alone.
            return new ExplainDto(job.Id, job.State.ToString(), $"{prefix}; {job.Message[SchedulerService.WaitingPrefix.Length..]} (the leader's last round)", where, [], null);
        }
        var window = options.Value.Scheduler.QueueWindow;
        var summary = round is null || job.CreatedAt >= round.At || position <= window
            ? $"{prefix}; waiting for the scheduler's next round"
            : $"{prefix}; waiting for the scheduler: {position - 1} jobs are ahead of it, and each round considers the first {window} of a queue";
        return new ExplainDto(job.Id, job.State.ToString(), summary, where, [], round?.At) { NotEligible = refused };
    }

    /// <summary>"cluster: why" for each refusing cluster, in name order.</summary>
    private static List<string> NotEligible(IReadOnlyDictionary<string, string> refused) =>
        refused.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key}: {r.Value}").ToList();

    /// <summary>
    /// For a job placed but not running, the cluster's own words: the operator's last message and
    /// why its pods wait. Gantry's arithmetic said it fits; this is what says why it does not start.
    /// </summary>
    private async Task<IReadOnlyList<string>> ClusterSaysAsync(Job job, CancellationToken cancellationToken)
    {
        if (job.State is not (JobState.Dispatching or JobState.Submitted) || job.Cluster is null)
        {
            return [];
        }
        var said = new List<string>();
        if (!string.IsNullOrWhiteSpace(job.Message))
        {
            said.Add($"status: {job.Message}");
        }
        if (await store.Clusters.GetAsync(job.Cluster, cancellationToken) is { } cluster
            && backends.Find(cluster)?.Pending is { } pending)
        {
            said.AddRange(await pending.PendingReasonsAsync(job, cancellationToken));
        }
        return said;
    }

    /// <summary>The cluster's own words as one sentence: each reason's full stop dropped, so the join ends in one.</summary>
    internal static string ClusterSays(IEnumerable<string> said) =>
        $"The cluster says: {string.Join("; ", said.Select(s => s.Trim().TrimEnd('.')))}.";

    private static string Describe(Job job) => job.State switch
    {
        JobState.Dispatching => $"Being dispatched to cluster {job.Cluster}.",
        JobState.Submitted => $"Submitted to cluster {job.Cluster}; waiting for its operator to start it.",
        JobState.Running => $"Running on cluster {job.Cluster} since {job.StartedAt:u}.",
        JobState.Cancelling => $"Being cancelled on cluster {job.Cluster}.",
        _ => $"{job.State}: {job.Message}",
    };
}
