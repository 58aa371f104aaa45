using System.Text.Json;
using Gantry.Core.Jobs;
using k8s;
using Microsoft.Extensions.Logging;

namespace Gantry.Backends.Kubernetes;

/// <summary>
/// Turns what the informers see into job updates: each tracked job's operator status, mapped and
/// reported only when it changed, and a resource that vanished while its job was active (a
/// cancel's deletion, a deletion by someone else, a dispatch that never got to create it).
/// </summary>
internal sealed partial class JobStatusReporter(
    JobTracker tracker,
    IJobUpdateSink sink,
    Uri server,
    Func<TrackedJob, CancellationToken, Task> deleteResource,
    FailureDetails failures,
    StaleCopies staleCopies,
    bool inMemorySandbox,
    ILogger logger) : IResourceEvents
{
    public const string DeletedOutsideGantry = "custom resource deleted outside Gantry";

    /// <summary>The usual cause on a sandbox cluster: the gateway restarted, and with it the sandbox, empty.</summary>
    public const string SandboxRestartedEmpty =
        "custom resource gone: the sandbox cluster restarted empty (it lives in the gateway's memory, so a gateway restart loses its jobs), or it was deleted outside Gantry";

    public async Task ListedAsync(Workload workload, IReadOnlyList<JsonElement> items, long listStarted, CancellationToken cancellationToken)
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (!workload.IsDispatched(item) || JobIdOf(item) is not { } id || tracker.Find(id) is not { } job || job.Workload.Kind != workload.Kind)
            {
                continue;
            }
            present.Add(id);
            await ObservedAsync(job, item, cancellationToken);
            if (job.CancelRequested && tracker.Find(id) is not null)
            {
                // A cancel whose delete failed earlier: this resync is its retry.
                await deleteResource(job, cancellationToken);
            }
        }
        foreach (var job in tracker.OfKind(workload))
        {
            if (!present.Contains(job.JobId) && job.ExpectedSince < listStarted)
            {
                await GoneAsync(job, cancellationToken);
            }
        }
        await staleCopies.SweepAsync(workload, items, cancellationToken);
    }

    public async Task ChangedAsync(Workload workload, WatchEventType type, JsonElement item, CancellationToken cancellationToken)
    {
        if (!workload.IsDispatched(item) || JobIdOf(item) is not { } id || tracker.Find(id) is not { } job || job.Workload.Kind != workload.Kind)
        {
            return;
        }
        if (type != WatchEventType.Deleted)
        {
            await ObservedAsync(job, item, cancellationToken);
            return;
        }
        // Deleted after it ended (the operator's TTL, a clean-up): the end is what counts.
        if (JobStateMachine.IsTerminal(job.Workload.Observe(item, server).State))
        {
            await ObservedAsync(job, item, cancellationToken);
        }
        await GoneAsync(job, cancellationToken);
    }

    /// <summary>A cancelled job whose resource is gone for sure (the delete answered 404, or a read after it did).</summary>
    public Task ResourceGoneAsync(TrackedJob job, CancellationToken cancellationToken) => GoneAsync(job, cancellationToken);

    private async Task ObservedAsync(TrackedJob job, JsonElement item, CancellationToken cancellationToken)
    {
        await job.Gate.WaitAsync(cancellationToken);
        try
        {
            if (tracker.Find(job.JobId) != job)
            {
                return;
            }
            var status = job.Workload.Observe(item, server);
            job.Location = Locate(job.Workload, item, status.RawState);
            var terminal = JobStateMachine.IsTerminal(status.State);
            if ((job.CancelRequested && !terminal) || status == job.Last)
            {
                return;
            }
            var reason = status.Reason;
            if (status.State == JobState.Failed && job.Workload.FailuresInPods
                && await failures.DescribeAsync(job.Workload, job.Location, cancellationToken) is { } details)
            {
                reason = $"{reason} {details}";
            }
            // Within one state, a kind whose raw state says more (a TrainJob held Suspended) records it as a note.
            var note = job.Workload.NotesWithinState && status.State == JobState.Submitted && status.RawState is { Length: > 0 };
            if (await ReportAsync(new JobUpdate(job.JobId, status.State, reason, job.Location.ToJson(), status.SparkUiUrl, Note: note), cancellationToken))
            {
                job.Last = status;
                if (terminal)
                {
                    tracker.Forget(job.JobId);
                }
            }
        }
        finally
        {
            job.Gate.Release();
        }
    }

    private async Task GoneAsync(TrackedJob job, CancellationToken cancellationToken)
    {
        var recreate = false;
        await job.Gate.WaitAsync(cancellationToken);
        try
        {
            if (tracker.Find(job.JobId) != job)
            {
                return;
            }
            if (job is { CancelRequested: false, ResumedWhileDispatching: true, Last: null })
            {
                // An earlier leader stored the intent and stopped before the create landed: the
                // dispatch is finished here, on this cluster, under the same name.
                LogRecreating(job.JobId);
                tracker.Forget(job.JobId);
                recreate = true;
            }
            else
            {
                var update = job.CancelRequested
                    ? new JobUpdate(job.JobId, JobState.Cancelled, "cancelled; its custom resource was deleted")
                    : new JobUpdate(job.JobId, JobState.Failed, inMemorySandbox ? SandboxRestartedEmpty : DeletedOutsideGantry);
                LogGone(job.JobId, update.State, update.Reason);
                if (await ReportAsync(update, cancellationToken))
                {
                    tracker.Forget(job.JobId);
                }
            }
        }
        finally
        {
            job.Gate.Release();
        }
        if (recreate)
        {
            // Outside the gate: the dispatch tracks the job afresh.
            await sink.RecreateAsync(job.JobId, cancellationToken);
        }
    }

    /// <summary>Reports; a failure (the store is down) is logged and left for the next event or resync to retry.</summary>
    private async Task<bool> ReportAsync(JobUpdate update, CancellationToken cancellationToken)
    {
        try
        {
            await sink.ReportAsync(update, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogReportFailed(ex, update.JobId, update.State);
            return false;
        }
    }

    public static string? JobIdOf(JsonElement item) =>
        item.TryGetProperty("metadata", out var metadata) && metadata.TryGetProperty("labels", out var labels)
            && labels.ValueKind == JsonValueKind.Object && labels.TryGetProperty(GantryLabels.JobId, out var id)
            && id.ValueKind == JsonValueKind.String
            ? id.GetString()
            : null;

    public static ResourceLocation Locate(Workload workload, JsonElement item, string? state)
    {
        var metadata = item.GetProperty("metadata");
        return new ResourceLocation(
            workload.Kind,
            metadata.TryGetProperty("namespace", out var ns) ? ns.GetString() ?? "" : "",
            metadata.TryGetProperty("name", out var name) ? name.GetString() ?? "" : "",
            state);
    }

    [LoggerMessage(2140, LogLevel.Information, "Job {JobId}: custom resource gone, job {State}: {Reason}")]
    private partial void LogGone(string jobId, JobState state, string reason);

    [LoggerMessage(2141, LogLevel.Error, "Job {JobId}: could not record {State}; the next event or resync tries again")]
    private partial void LogReportFailed(Exception exception, string jobId, JobState state);

    [LoggerMessage(2142, LogLevel.Information, "Job {JobId}: left in Dispatching by an earlier leader and not on the cluster; creating it again under the same name")]
    private partial void LogRecreating(string jobId);
}
