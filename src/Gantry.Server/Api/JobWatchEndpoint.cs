using System.Text.Json;
using Gantry.Backends;
using Gantry.Core.Jobs;
using Gantry.Server.Auth;
using Gantry.Server.Clusters;
using Gantry.Server.Jobs;
using Gantry.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Gantry.Server.Api;

/// <summary>
/// <c>GET /api/v1/jobs/{id}/watch</c>: Server-Sent Events. The current state first, then one
/// <c>state</c> event per stored transition; ends after the event that ends the job.
/// </summary>
internal static class JobWatchEndpoint
{
    private static readonly TimeSpan WatchPoll = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static async Task HandleAsync(
        string id, HttpContext http, JobLifecycle lifecycle, IGantryStore store, JobChangeNotifier notifier,
        IOptions<JsonOptions> json, TimeProvider time, CancellationToken cancellationToken)
    {
        var job = await lifecycle.GetVisibleAsync(id, Caller.From(http.User), cancellationToken);
        var response = http.Response;
        ServerSentEvents.Begin(http);
        var serializer = json.Value.SerializerOptions;

        var lastSeq = long.TryParse(http.Request.Headers["Last-Event-ID"], out var resumeFrom) && resumeFrom > 0 ? resumeFrom : 0;
        var history = await store.Jobs.EventsAsync(job.Id, 0, cancellationToken);
        // The row is read again after the events, never before: a row older than the last event
        // read (the job ended in between) would send its stale state as current and then wait
        // for events after one that ended the job, forever. A row newer than the events at worst
        // sends a transition twice.
        job = await store.Jobs.GetAsync(job.Id, cancellationToken) ?? job;
        // The stream ends after the event that ends the job, not when the row says it ended:
        // the row may already be terminal while that event has not been sent.
        JobState sentState;
        if (lastSeq == 0)
        {
            // First the state as it is now, so a watcher never starts blind.
            lastSeq = history.Count > 0 ? history[^1].Seq : 0;
            var now = new JobEventDto(lastSeq, job.UpdatedAt, null, job.State.ToString(), job.Message);
            await WriteEventAsync(response, lastSeq, new WatchEventDto(now, JobDto.From(job)), serializer, cancellationToken);
            sentState = job.State;
        }
        else
        {
            sentState = history.LastOrDefault(e => e.Seq <= lastSeq)?.To ?? JobState.Queued;
        }
        var quietSince = time.GetUtcNow();
        try
        {
            while (!JobStateMachine.IsTerminal(sentState))
            {
                var changed = notifier.Signal(job.Id);
                var fresh = await store.Jobs.EventsAsync(job.Id, lastSeq, cancellationToken);
                if (fresh.Count == 0)
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
                job = await store.Jobs.GetAsync(job.Id, cancellationToken) ?? job;
                foreach (var e in fresh)
                {
                    await WriteEventAsync(response, e.Seq, new WatchEventDto(JobEventDto.Of(e), JobDto.From(job)), serializer, cancellationToken);
                    lastSeq = e.Seq;
                    sentState = e.To;
                }
                quietSince = time.GetUtcNow();
            }
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The watcher went away.
        }
    }

    private static Task WriteEventAsync(HttpResponse response, long seq, WatchEventDto data, JsonSerializerOptions serializer, CancellationToken cancellationToken) =>
        ServerSentEvents.WriteAsync(response, seq, "state", JsonSerializer.Serialize(data, serializer), cancellationToken);
}
