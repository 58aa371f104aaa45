using System.Diagnostics;
using Gantry.Core.Jobs;
using Gantry.Core.Scheduling;
using Gantry.Server.Clusters;
using Gantry.Server.Hosting;
using Gantry.Server.Jobs;
using Gantry.Server.Monitoring;
using Gantry.Server.Options;
using Gantry.Server.Replication;
using Gantry.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gantry.Server.Scheduling;

/// <summary>
/// The thin loop around the pure scheduler: build a snapshot, run a round, carry out its
/// decisions, remember its reasons. Runs every interval, or sooner when a job changes.
/// </summary>
public sealed partial class SchedulerService(
    IGantryStore store,
    IScheduler scheduler,
    ClusterViews clusters,
    LocalRefusals localRefusals,
    TrainJobPlans trainJobPlans,
    JobLifecycle lifecycle,
    JobChangeNotifier notifier,
    LastRound lastRound,
    SchedulerMetrics metrics,
    Readiness readiness,
    IOptions<GantryOptions> options,
    LeaderTakeover takeover,
    Leadership leadership,
    TimeProvider time,
    ILogger<SchedulerService> logger) : LeaderService(leadership, readiness)
{
    private const int MaxConcurrentDispatches = 16;

    /// <summary>
    /// One term of scheduling: take over what the last leader left (its jobs, its clusters), then
    /// run rounds until the term ends; the backends' informers stop with it.
    /// </summary>
    protected override async Task RunTermAsync(LeaderTerm term, CancellationToken acting)
    {
        try
        {
            await takeover.BeginAsync(term, acting);
            await RunRoundsAsync(acting);
        }
        finally
        {
            await takeover.EndAsync(term);
        }
    }

    private async Task RunRoundsAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMilliseconds(options.Value.Scheduler.IntervalMilliseconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            var changed = notifier.AnySignal();
            try
            {
                await RunRoundAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogRoundFailed(ex);
            }
            try
            {
                // A change wakes the loop early, but never more often than every tenth of the interval.
                await Task.WhenAny(changed, Task.Delay(interval, time, stoppingToken)).WaitAsync(stoppingToken);
                await Task.Delay(interval / 10, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    internal async Task RunRoundAsync(CancellationToken cancellationToken)
    {
        var queued = await store.Jobs.QueuedHeadsAsync(options.Value.Scheduler.QueueWindow, cancellationToken);
        var active = await store.Jobs.ActiveAsync(cancellationToken);
        await CarryOutCancelsAsync(active, cancellationToken);
        var (clusterViews, statuses) = await clusters.SchedulerInputsAsync(active, cancellationToken);
        // Who is an admin matters only where a cluster takes admins' jobs only: ask the store only then.
        var admins = clusterViews.Any(c => c.AdminsOnly is not null)
            ? (await store.Users.ListAsync(cancellationToken)).Where(u => u.IsAdmin).Select(u => u.Name).ToHashSet(StringComparer.Ordinal)
            : [];
        localRefusals.Retain(queued);
        trainJobPlans.Retain(queued);
        var snapshot = new SchedulingSnapshot(
            time.GetUtcNow(),
            queued.Select(j => Pending(j, admins.Contains(j.Owner), statuses)).ToList(),
            await QueueViewsAsync(active, cancellationToken),
            clusterViews,
            new SchedulerSettings { ReserveAfter = TimeSpan.FromSeconds(options.Value.Scheduler.ReserveAfterSeconds) });

        var clock = Stopwatch.StartNew();
        var result = scheduler.Schedule(snapshot);
        lastRound.Record(snapshot, result, clock.Elapsed);
        metrics.RoundCompleted(snapshot, result, clock.Elapsed);

        foreach (var rejection in result.Rejections)
        {
            await lifecycle.RejectAsync(rejection.JobId, rejection.Reason, cancellationToken);
        }
        // Dispatches are independent and mostly wait on a cluster's API server (a Kubernetes
        // dispatch is a few HTTPS calls): overlap them, a bounded number at a time.
        using (var slots = new SemaphoreSlim(MaxConcurrentDispatches))
        {
            await Task.WhenAll(result.Placements.Select(async placement =>
            {
                await slots.WaitAsync(cancellationToken);
                try
                {
                    await lifecycle.DispatchAsync(placement.JobId, placement.Cluster, cancellationToken);
                }
                finally
                {
                    slots.Release();
                }
            }));
        }
        // Write a reason only when it changed, so a long queue costs nothing round after round.
        var messages = queued
            .Where(j => result.Waiting.TryGetValue(j.Id, out var why) && j.Message != Waiting(why))
            .ToDictionary(j => j.Id, j => Waiting(result.Waiting[j.Id]), StringComparer.Ordinal);
        await store.Jobs.SetQueuedMessagesAsync(messages, cancellationToken);
        if (result.Placements.Count > 0 || result.Rejections.Count > 0)
        {
            LogRound(snapshot.Jobs.Count, result.Placements.Count, result.Rejections.Count, clock.Elapsed.TotalMilliseconds);
        }
    }

    /// <summary>A queued job as the scheduler sees it: a TrainJob with its gang and refusals per cluster.</summary>
    private PendingJob Pending(Job job, bool byAdmin, IReadOnlyList<(Core.Clusters.Cluster Cluster, Core.Clusters.ClusterStatus Status)> statuses)
    {
        var refused = localRefusals.For(job);
        var plan = trainJobPlans.For(job, statuses);
        if (plan.Refusals.Count > 0)
        {
            var all = new Dictionary<string, string>(plan.Refusals, StringComparer.Ordinal);
            foreach (var (cluster, why) in refused)
            {
                all.TryAdd(cluster, why);
            }
            refused = all;
        }
        return new PendingJob(job.Id, job.Queue, job.Kind, job.Priority, job.Seq, job.CreatedAt, job.Demand)
        {
            ByAdmin = byAdmin,
            Refused = refused,
            DemandByCluster = plan.Demands,
        };
    }

    /// <summary>Cancels recorded by any replica (or left by the last leader) are carried out by the leader.</summary>
    private async Task CarryOutCancelsAsync(IReadOnlyList<Job> active, CancellationToken cancellationToken)
    {
        if (Leadership.Current is not { } term)
        {
            return;
        }
        var cancelling = active.Where(j => j.State == JobState.Cancelling).ToList();
        lifecycle.ForgetCancels(cancelling.Select(j => j.Id).ToHashSet(StringComparer.Ordinal));
        foreach (var job in cancelling)
        {
            try
            {
                await lifecycle.CarryOutCancelAsync(job, term, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogCancelFailed(job.Id, ex.Message);
            }
        }
    }

    /// <summary>Every queue with what its started jobs hold now.</summary>
    private async Task<IReadOnlyList<QueueView>> QueueViewsAsync(IReadOnlyList<Job> active, CancellationToken cancellationToken)
    {
        var queues = await store.Queues.ListAsync(cancellationToken);
        var usage = QueueUsage.ByQueue(active);
        return queues.Select(q => new QueueView(q, usage.GetValueOrDefault(q.Name))).ToList();
    }

    /// <summary>How a queued job's stored message starts when it holds the scheduler's reason.</summary>
    public const string WaitingPrefix = "waiting: ";

    internal static string Waiting(WaitReason reason) => WaitingPrefix + reason.Summary;

    [LoggerMessage(1200, LogLevel.Information, "Scheduling round: {Considered} queued considered, {Placed} placed, {Rejected} rejected in {Milliseconds:F1} ms")]
    private partial void LogRound(int considered, int placed, int rejected, double milliseconds);

    [LoggerMessage(1202, LogLevel.Warning, "Cancel of job {JobId} could not be carried out; the next term tries again: {Problem}")]
    private partial void LogCancelFailed(string jobId, string problem);

    [LoggerMessage(1201, LogLevel.Error, "Scheduling round failed; the next round will try again")]
    private partial void LogRoundFailed(Exception exception);
}
