using Gantry.Core.Jobs;
using Gantry.Core.Queues;
using Gantry.Core.Scheduling;
using Gantry.Server.Api;
using Gantry.Server.Options;
using Gantry.Storage;
using Microsoft.Extensions.Options;

namespace Gantry.Server.Scheduling;

/// <summary>Answers "why is my job where it is?" from the scheduler's last round and the store.</summary>
public sealed class Explainer(IGantryStore store, LastRound lastRound, QueueUsageReader usage, IOptions<GantryOptions> options)
{
    public async Task<ExplainDto> ExplainAsync(Job job, CancellationToken cancellationToken)
    {
        var queue = await store.Queues.GetAsync(job.Queue, cancellationToken);
        var usages = await usage.ReadAsync(cancellationToken);
        var queueUsage = usages.GetValueOrDefault(job.Queue) ?? QueueUsageDto.Empty;
        var quota = QuotaDto.From(queue?.Quota ?? QueueQuota.Unlimited);
        var round = lastRound.Current;

        if (job.State != JobState.Queued)
        {
            return new ExplainDto(job.Id, job.State.ToString(), Describe(job),
                new QueuePositionDto(job.Queue, null, (int)queueUsage.QueuedJobs, queueUsage, quota), [], round?.At);
        }

        var position = await store.Jobs.QueuedAheadAsync(job, cancellationToken) + 1;
        var where = new QueuePositionDto(job.Queue, position, (int)queueUsage.QueuedJobs, queueUsage, quota);
        var prefix = $"Queued, position {position} of {queueUsage.QueuedJobs} in queue {job.Queue}";
        if (round is not null && round.Result.Waiting.TryGetValue(job.Id, out var why))
        {
            var pending = round.Snapshot.Jobs.First(j => j.Id == job.Id);
            var verdicts = WaitAnalysis.Verdicts(pending, round.Snapshot, round.Result);
            return new ExplainDto(job.Id, job.State.ToString(), $"{prefix}; {why.Summary}",
                where, verdicts.Select(ClusterVerdictDto.From).ToList(), round.At) { Code = why.Code.ToString() };
        }
        if (round is not null && round.Result.Placements.Any(p => p.JobId == job.Id))
        {
            return new ExplainDto(job.Id, job.State.ToString(), $"{prefix}; placed by the last round and about to be dispatched", where, [], round.At);
        }
        var window = options.Value.Scheduler.QueueWindow;
        var summary = round is null || job.CreatedAt >= round.At || position <= window
            ? $"{prefix}; waiting for the scheduler's next round"
            : $"{prefix}; waiting for the scheduler: {position - 1} jobs are ahead of it, and each round considers the first {window} of a queue";
        return new ExplainDto(job.Id, job.State.ToString(), summary, where, [], round?.At);
    }

    private static string Describe(Job job) => job.State switch
    {
        JobState.Dispatching => $"Being dispatched to cluster {job.Cluster}.",
        JobState.Submitted => $"Submitted to cluster {job.Cluster}; waiting for its operator to start it.",
        JobState.Running => $"Running on cluster {job.Cluster} since {job.StartedAt:u}.",
        JobState.Cancelling => $"Being cancelled on cluster {job.Cluster}.",
        _ => $"{job.State}: {job.Message}",
    };
}
