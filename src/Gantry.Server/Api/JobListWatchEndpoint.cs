using System.Text.Json;
using Gantry.Core.Jobs;
using Gantry.Server.Auth;
using Gantry.Server.Jobs;
using Gantry.Server.Options;
using Gantry.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Gantry.Server.Api;

/// <summary>
/// <c>GET /api/v1/jobs/watch</c>: Server-Sent Events for a filtered job list (the dashboard's
/// jobs page). First a <c>ready</c> event, then one <c>job</c> event per stored transition of a
/// job that passes the list's filters, or that just left the state filter (so a client can drop
/// it). Every event's id is the transition's sequence: <c>Last-Event-ID</c> resumes after it.
/// </summary>
internal static class JobListWatchEndpoint
{
    // Changes made by other replicas wake nobody here: look again this often.
    private static readonly TimeSpan WatchPoll = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);
    private const int Batch = 500;

    public static async Task HandleAsync(
        HttpContext http, IGantryStore store, JobChangeNotifier notifier, IOptions<GantryOptions> options,
        IOptions<JsonOptions> json, TimeProvider time, CancellationToken cancellationToken)
    {
        var query = JobQueryReader.Read(http.Request, Caller.From(http.User), options.Value.Limits.MaxPageSize);
        var response = http.Response;
        ServerSentEvents.Begin(http);
        var serializer = json.Value.SerializerOptions;

        var lastSeq = long.TryParse(http.Request.Headers["Last-Event-ID"], out var resumeFrom) && resumeFrom >= 0
            ? resumeFrom
            : await store.Jobs.LastEventSeqAsync(cancellationToken);
        await ServerSentEvents.WriteAsync(response, lastSeq, "ready", JsonSerializer.Serialize(new { seq = lastSeq }, serializer), cancellationToken);
        var quietSince = time.GetUtcNow();
        try
        {
            while (true)
            {
                var changed = notifier.AnySignal();
                var events = await store.Jobs.EventsSinceAsync(lastSeq, Batch, cancellationToken);
                if (events.Count == 0)
                {
                    await Task.WhenAny(changed, Task.Delay(WatchPoll, cancellationToken));
                    cancellationToken.ThrowIfCancellationRequested();
                    if (time.GetUtcNow() - quietSince > KeepAlive)
                    {
                        await ServerSentEvents.KeepAliveAsync(response, cancellationToken);
                        quietSince = time.GetUtcNow();
                    }
                    continue;
                }
                // One read per job per batch: a burst of transitions of one job costs one lookup.
                var jobs = new Dictionary<string, Job?>(StringComparer.Ordinal);
                foreach (var e in events)
                {
                    if (!jobs.TryGetValue(e.JobId, out var job))
                    {
                        job = await store.Jobs.GetAsync(e.JobId, cancellationToken);
                        jobs[e.JobId] = job;
                    }
                    if (job is not null && Concerns(query, job, e))
                    {
                        var data = JsonSerializer.Serialize(new WatchEventDto(JobEventDto.Of(e), JobDto.From(job)), serializer);
                        await ServerSentEvents.WriteAsync(response, e.Seq, "job", data, cancellationToken);
                    }
                    lastSeq = e.Seq;
                }
                quietSince = time.GetUtcNow();
            }
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The watcher went away.
        }
    }

    /// <summary>The job passes the filters, or passes all but the state filter and the transition left a watched state.</summary>
    private static bool Concerns(JobQuery query, Job job, JobEvent e) =>
        query.Matches(job)
        || (query.States.Count > 0 && e.From is { } from && query.States.Contains(from) && (query with { States = [] }).Matches(job));
}
