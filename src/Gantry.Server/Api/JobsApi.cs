using System.Text;
using System.Text.Json;
using Gantry.Backends;
using Gantry.Core.Jobs;
using Gantry.Core.Labels;
using Gantry.Core.Validation;
using Gantry.Server.Auth;
using Gantry.Server.Clusters;
using Gantry.Server.Jobs;
using Gantry.Server.Manifests;
using Gantry.Server.Options;
using Gantry.Server.RateLimiting;
using Gantry.Server.Replication;
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
/// POST /{id}/cancel · GET /{id}/logs · GET /{id}/watch and GET /watch (Server-Sent Events).
/// </summary>
public static class JobsApi
{
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
        jobs.MapGet("/watch", JobListWatchEndpoint.HandleAsync).WithName("WatchJobs")
            .WithSummary("Server-Sent Events for the whole list: one 'job' event per change of a job that passes the list's filters (state, queue, owner, kind, cluster, labelSelector), or that just left the state filter. Resumable with Last-Event-ID.")
            .Produces<string>(StatusCodes.Status200OK, "text/event-stream");
        jobs.MapGet("/{id}", GetAsync).WithName("GetJob").WithSummary("One job, with its manifest.");
        jobs.MapGet("/{id}/events", EventsAsync).WithName("GetJobEvents").WithSummary("Every transition of the job, oldest first.");
        jobs.MapGet("/{id}/explain", ExplainAsync).WithName("ExplainJob").WithSummary("Why the job is where it is: queue position, quota, per-cluster verdicts.");
        jobs.MapPost("/{id}/cancel", CancelAsync).WithName("CancelJob").WithSummary("Cancel the job (idempotent); a finished job stays as it is.");
        jobs.MapGet("/{id}/logs", JobLogsEndpoint.HandleAsync).WithName("GetJobLogs")
            .WithSummary("The job's log as text; follow=true streams until the job ends, tail=N, replica=NAME.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain");
        jobs.MapGet("/{id}/watch", JobWatchEndpoint.HandleAsync).WithName("WatchJob")
            .WithSummary("Server-Sent Events: the current state, then one 'state' event per change; ends when the job ends.")
            .Produces<string>(StatusCodes.Status200OK, "text/event-stream");
        return api;
    }

    private static async Task<Created<JobDto>> SubmitAsync(
        HttpContext http, JobSubmitter submitter, RequestRateLimiter limiter, IOptions<GantryOptions> options, CancellationToken cancellationToken)
    {
        var caller = Caller.From(http.User);
        limiter.Submission(caller);
        var key = IdempotencyKeyHeader.Read(http.Request);
        var body = await RequestBody.ReadAsync(http.Request, options.Value.Limits.MaxBodyBytes, cancellationToken);
        var errors = new ValidationErrors();
        var submission = SubmissionReader.Read(body, http.Request.ContentType, errors, options.Value.Limits);
        limiter.QueueSubmission(submission.Queue);
        var outcome = await submitter.SubmitAsync(submission, errors, caller, key, body, cancellationToken);
        if (!outcome.Created)
        {
            http.Response.Headers["Idempotent-Replayed"] = "true";
        }
        // Without the manifest: the caller just sent it, and echoing it costs a parse and a write per submission.
        return TypedResults.Created($"/api/v1/jobs/{outcome.Job.Id}", JobDto.From(outcome.Job));
    }

    private static async Task<Ok<JobListDto>> ListAsync(HttpContext http, IGantryStore store, IOptions<GantryOptions> options, CancellationToken cancellationToken)
    {
        var query = JobQueryReader.Read(http.Request, Caller.From(http.User), options.Value.Limits.MaxPageSize);
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

    private static async Task<Ok<ExplainDto>> ExplainAsync(
        string id, HttpContext http, JobLifecycle lifecycle, Explainer explainer, LeaderExplain leader, CancellationToken cancellationToken)
    {
        var caller = Caller.From(http.User);
        var job = await lifecycle.GetVisibleAsync(id, caller, cancellationToken);
        // A queued job waits on the leader's round: on a follower, the leader's answer has the verdicts.
        if (job.State == JobState.Queued && await leader.AskAsync(job.Id, caller, http.Request, cancellationToken) is { } fromLeader)
        {
            return TypedResults.Ok(fromLeader);
        }
        return TypedResults.Ok(await explainer.ExplainAsync(job, cancellationToken));
    }

    private static async Task<Ok<JobDto>> CancelAsync(string id, HttpContext http, JobLifecycle lifecycle, CancellationToken cancellationToken)
    {
        var job = await lifecycle.CancelAsync(id, Caller.From(http.User), cancellationToken);
        return TypedResults.Ok(JobDto.From(job));
    }
}
