using System.Text;
using System.Text.Json;
using Gantry.Backends;
using Gantry.Core.Jobs;
using Gantry.Core.Labels;
using Gantry.Server.Auth;
using Gantry.Server.Clusters;
using Gantry.Server.Jobs;
using Gantry.Server.Manifests;
using Gantry.Server.Options;
using Gantry.Server.Scheduling;
using Gantry.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Gantry.Server.Api;

/// <summary>
/// <c>/api/v1/jobs</c>:
/// POST / submit · GET / list · GET /{id} · GET /{id}/events · GET /{id}/explain ·
/// POST /{id}/cancel · GET /{id}/logs · GET /{id}/watch (Server-Sent Events).
/// </summary>
public static class JobsApi
{
    private static readonly TimeSpan WatchPoll = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static RouteGroupBuilder MapJobsApi(this RouteGroupBuilder api)
    {
        var jobs = api.MapGroup("/jobs").WithTags("Jobs");
        jobs.MapPost("/", SubmitAsync).WithName("SubmitJob")
            .WithSummary("Submit a job: {manifest, queue, priority, labels, name} as JSON, or a raw manifest as YAML.")
            // Documented rather than declared with Accepts(): a declared content type makes routing
            // answer 415 itself, without naming the field; SubmissionReader does that.
            .AddOpenApiOperationTransformer(SubmitJobRequest.DescribeAsync)
            .Produces<JobDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        jobs.MapGet("/", ListAsync).WithName("ListJobs")
            .WithSummary("List jobs, newest first; filters state, queue, owner, kind, cluster, labelSelector; limit and cursor.");
        jobs.MapGet("/{id}", GetAsync).WithName("GetJob").WithSummary("One job, with its manifest.");
        jobs.MapGet("/{id}/events", EventsAsync).WithName("GetJobEvents").WithSummary("Every transition of the job, oldest first.");
        jobs.MapGet("/{id}/explain", ExplainAsync).WithName("ExplainJob").WithSummary("Why the job is where it is: queue position, quota, per-cluster verdicts.");
        jobs.MapPost("/{id}/cancel", CancelAsync).WithName("CancelJob").WithSummary("Cancel the job (idempotent); a finished job stays as it is.");
        jobs.MapGet("/{id}/logs", LogsAsync).WithName("GetJobLogs")
            .WithSummary("The job's log as text; follow=true streams until the job ends, tail=N, replica=NAME.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain");
        jobs.MapGet("/{id}/watch", WatchAsync).WithName("WatchJob")
            .WithSummary("Server-Sent Events: the current state, then one 'state' event per change; ends when the job ends.")
            .Produces<string>(StatusCodes.Status200OK, "text/event-stream");
        return api;
    }

    private static async Task<Created<JobDto>> SubmitAsync(HttpContext http, JobSubmitter submitter, IOptions<GantryOptions> options, CancellationToken cancellationToken)
    {
        var key = IdempotencyKey(http.Request);
        var body = await RequestBody.ReadAsync(http.Request, options.Value.Limits.MaxBodyBytes, cancellationToken);
        var submission = SubmissionReader.Read(body, http.Request.ContentType);
        var outcome = await submitter.SubmitAsync(submission, Caller.From(http.User), key, body, cancellationToken);
        if (!outcome.Created)
        {
            http.Response.Headers["Idempotent-Replayed"] = "true";
        }
        return TypedResults.Created($"/api/v1/jobs/{outcome.Job.Id}", JobDto.From(outcome.Job, withManifest: true));
    }

    private static async Task<Ok<JobListDto>> ListAsync(HttpContext http, IGantryStore store, IOptions<GantryOptions> options, CancellationToken cancellationToken)
    {
        var request = http.Request;
        var caller = Caller.From(http.User);
        var owner = QueryReader.String(request, "owner");
        if (!caller.IsAdmin)
        {
            if (owner is not null && owner != caller.Name)
            {
                throw new Core.Errors.ForbiddenException("Only an admin may list other users' jobs.");
            }
            owner = caller.Name;
        }
        var cursor = QueryReader.String(request, "cursor");
        var query = new JobQuery
        {
            States = QueryReader.Enums<JobState>(request, "state"),
            Queue = QueryReader.String(request, "queue"),
            Owner = owner,
            Kind = QueryReader.String(request, "kind"),
            Cluster = QueryReader.String(request, "cluster"),
            Labels = LabelSelectorParam(request),
            Limit = QueryReader.Int(request, "limit", 1, options.Value.Limits.MaxPageSize) ?? 50,
            BeforeSeq = cursor is null ? null : Cursor.Decode(cursor),
        };
        var page = await store.Jobs.ListAsync(query, cancellationToken);
        return TypedResults.Ok(new JobListDto(
            page.Items.Select(j => JobDto.From(j)).ToList(),
            page.NextBeforeSeq is { } next ? Cursor.Encode(next) : null));
    }

    private static async Task<Ok<JobDto>> GetAsync(string id, HttpContext http, JobLifecycle lifecycle, CancellationToken cancellationToken)
    {
        var job = await lifecycle.GetVisibleAsync(id, Caller.From(http.User), cancellationToken);
        return TypedResults.Ok(JobDto.From(job, withManifest: true));
    }

    private static async Task<Ok<JobEventListDto>> EventsAsync(string id, HttpContext http, JobLifecycle lifecycle, IGantryStore store, CancellationToken cancellationToken)
    {
        var job = await lifecycle.GetVisibleAsync(id, Caller.From(http.User), cancellationToken);
        var events = await store.Jobs.EventsAsync(job.Id, 0, cancellationToken);
        return TypedResults.Ok(new JobEventListDto(events.Select(JobEventDto.Of).ToList()));
    }

    private static async Task<Ok<ExplainDto>> ExplainAsync(string id, HttpContext http, JobLifecycle lifecycle, Explainer explainer, CancellationToken cancellationToken)
    {
        var job = await lifecycle.GetVisibleAsync(id, Caller.From(http.User), cancellationToken);
        return TypedResults.Ok(await explainer.ExplainAsync(job, cancellationToken));
    }

    private static async Task<Ok<JobDto>> CancelAsync(string id, HttpContext http, JobLifecycle lifecycle, CancellationToken cancellationToken)
    {
        var job = await lifecycle.CancelAsync(id, Caller.From(http.User), cancellationToken);
        return TypedResults.Ok(JobDto.From(job));
    }

    private static async Task LogsAsync(
        string id, HttpContext http, JobLifecycle lifecycle, IGantryStore store, BackendRegistry backends, JobChangeNotifier notifier, CancellationToken cancellationToken)
    {
        var caller = Caller.From(http.User);
        var job = await lifecycle.GetVisibleAsync(id, caller, cancellationToken);
        var request = new LogRequest(
            QueryReader.Bool(http.Request, "follow"),
            QueryReader.Int(http.Request, "tail", 0, 10_000_000),
            QueryReader.String(http.Request, "replica"));
        // Following a job that has not started yet: wait for it to start (or end).
        while (request.Follow && job.State is JobState.Queued or JobState.Dispatching)
        {
            var changed = notifier.Signal(job.Id);
            job = await store.Jobs.GetAsync(job.Id, cancellationToken) ?? job;
            if (job.State is JobState.Queued or JobState.Dispatching)
            {
                await Task.WhenAny(changed, Task.Delay(WatchPoll, cancellationToken));
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        http.Response.ContentType = "text/plain; charset=utf-8";
        if (job.Cluster is null)
        {
            return;
        }
        var backend = await backends.ForClusterAsync(job.Cluster, cancellationToken);
        if (request.Follow)
        {
            http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        }
        try
        {
            await backend.Logs.CopyLogAsync(job, request, http.Response.Body, cancellationToken);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The follower went away; nothing to answer.
        }
    }

    private static async Task WatchAsync(
        string id, HttpContext http, JobLifecycle lifecycle, IGantryStore store, JobChangeNotifier notifier,
        IOptions<JsonOptions> json, TimeProvider time, CancellationToken cancellationToken)
    {
        var job = await lifecycle.GetVisibleAsync(id, Caller.From(http.User), cancellationToken);
        var response = http.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var serializer = json.Value.SerializerOptions;

        var lastSeq = long.TryParse(http.Request.Headers["Last-Event-ID"], out var resumeFrom) && resumeFrom > 0 ? resumeFrom : 0;
        var history = await store.Jobs.EventsAsync(job.Id, 0, cancellationToken);
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
                        await response.WriteAsync(": keep-alive\n\n", cancellationToken);
                        await response.Body.FlushAsync(cancellationToken);
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

    private static async Task WriteEventAsync(HttpResponse response, long seq, WatchEventDto data, JsonSerializerOptions serializer, CancellationToken cancellationToken)
    {
        var text = new StringBuilder()
            .Append("id: ").Append(seq).Append('\n')
            .Append("event: state\n")
            .Append("data: ").Append(JsonSerializer.Serialize(data, serializer)).Append("\n\n")
            .ToString();
        await response.WriteAsync(text, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    private static string? IdempotencyKey(HttpRequest request)
    {
        string? key = request.Headers["Idempotency-Key"];
        if (key is null)
        {
            return null;
        }
        if (key.Length is 0 or > 255 || key.Any(char.IsControl))
        {
            throw RequestException.BadField("Idempotency-Key", "must be 1 to 255 printable characters");
        }
        return key;
    }

    private static LabelSelector LabelSelectorParam(HttpRequest request)
    {
        try
        {
            return LabelSelector.Parse(QueryReader.String(request, "labelSelector"));
        }
        catch (Core.Errors.ValidationException ex)
        {
            throw RequestException.BadField("labelSelector", ex.Errors.Values.First()[0]);
        }
    }
}
