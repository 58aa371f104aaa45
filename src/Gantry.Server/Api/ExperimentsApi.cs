using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Core.Tuning.Progress;
using Gantry.Server.Auth;
using Gantry.Server.Experiments;
using Gantry.Server.Manifests;
using Gantry.Server.Options;
using Gantry.Server.RateLimiting;
using Gantry.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Gantry.Server.Api;

/// <summary>
/// <c>/api/v1/experiments</c>: POST / submit a Katib Experiment · GET / list · GET /{id} ·
/// GET /{id}/trials · POST /{id}/cancel · PATCH /{id} (raise maxTrialCount, resuming a finished one).
/// </summary>
public static class ExperimentsApi
{
    private const int MaxPatchBytes = 64 * 1024;

    public static RouteGroupBuilder MapExperimentsApi(this RouteGroupBuilder api)
    {
        var experiments = api.MapGroup("/experiments").WithTags("Experiments");
        experiments.MapPost("/", SubmitAsync).WithName("SubmitExperiment")
            .WithSummary("Submit a Katib Experiment (kubeflow.org/v1beta1): raw JSON or YAML, or {manifest, queue, priority, labels}.")
            .Produces<ExperimentDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        experiments.MapGet("/", ListAsync).WithName("ListExperiments")
            .WithSummary("List experiments, newest first; filters state and owner (admins); limit and cursor.");
        experiments.MapGet("/{id}", GetAsync).WithName("GetExperiment").WithSummary("One experiment, with its manifest.");
        experiments.MapGet("/{id}/trials", TrialsAsync).WithName("GetExperimentTrials").WithSummary("The experiment's trials in creation order.");
        experiments.MapPost("/{id}/cancel", CancelAsync).WithName("CancelExperiment")
            .WithSummary("End the experiment (Failed, ExperimentCancelled) and cancel its active trials.");
        experiments.MapPatch("/{id}", PatchAsync).WithName("PatchExperiment")
            .WithSummary("{\"maxTrialCount\": N}: raise the budget; resumes an experiment that ended with ExperimentMaxTrialsReached.");
        return api;
    }

    private static async Task<Created<ExperimentDto>> SubmitAsync(
        HttpContext http, ExperimentSubmitter submitter, RequestRateLimiter limiter, IOptions<GantryOptions> options, CancellationToken cancellationToken)
    {
        var caller = Caller.From(http.User);
        limiter.Submission(caller);
        var key = IdempotencyKeyHeader.Read(http.Request);
        var body = await RequestBody.ReadAsync(http.Request, options.Value.Limits.MaxBodyBytes, cancellationToken);
        var (run, created) = await submitter.SubmitAsync(body, http.Request.ContentType, caller, key, cancellationToken);
        if (!created)
        {
            http.Response.Headers["Idempotent-Replayed"] = "true";
        }
        return TypedResults.Created($"/api/v1/experiments/{run.Id}", ExperimentDto.From(run));
    }

    private static async Task<Ok<ExperimentListDto>> ListAsync(HttpContext http, IGantryStore store, IOptions<GantryOptions> options, CancellationToken cancellationToken)
    {
        var caller = Caller.From(http.User);
        var owner = QueryReader.Owner(http.Request, caller, "experiments");
        var states = QueryReader.Enums<ExperimentConditionType>(http.Request, "state");
        if (states.Count > 1)
        {
            throw RequestException.BadField("state", "takes one state");
        }
        var limit = QueryReader.Int(http.Request, "limit", 1, options.Value.Limits.MaxPageSize) ?? Math.Min(100, options.Value.Limits.MaxPageSize);
        var cursor = QueryReader.String(http.Request, "cursor");
        var page = await store.Experiments.ListAsync(
            new ExperimentQuery(states.Count == 1 ? states[0] : null, owner, limit, cursor is null ? null : Cursor.Decode(cursor)), cancellationToken);
        return TypedResults.Ok(new ExperimentListDto(
            page.Items.Select(e => ExperimentDto.From(e)).ToList(),
            page.NextBeforeSeq is { } next ? Cursor.Encode(next) : null));
    }

    private static async Task<Ok<ExperimentDto>> GetAsync(string id, HttpContext http, ExperimentActions actions, CancellationToken cancellationToken)
    {
        var run = await actions.GetVisibleAsync(id, Caller.From(http.User), cancellationToken);
        return TypedResults.Ok(ExperimentDto.From(run, withManifest: true));
    }

    private static async Task<Ok<TrialListDto>> TrialsAsync(string id, HttpContext http, ExperimentActions actions, IGantryStore store, CancellationToken cancellationToken)
    {
        var run = await actions.GetVisibleAsync(id, Caller.From(http.User), cancellationToken);
        var trials = await store.Experiments.TrialsAsync(run.Id, cancellationToken);
        return TypedResults.Ok(new TrialListDto(trials.Select(TrialDto.From).ToList()));
    }

    private static async Task<Ok<ExperimentDto>> CancelAsync(string id, HttpContext http, ExperimentActions actions, CancellationToken cancellationToken)
    {
        var run = await actions.CancelAsync(id, Caller.From(http.User), cancellationToken);
        return TypedResults.Ok(ExperimentDto.From(run));
    }

    private static async Task<Ok<ExperimentDto>> PatchAsync(
        string id, HttpContext http, ExperimentActions actions, IOptions<GantryOptions> options, CancellationToken cancellationToken)
    {
        var caller = Caller.From(http.User);
        var body = await RequestBody.ReadAsync(http.Request, MaxPatchBytes, cancellationToken);
        var maxTrialCount = ReadMaxTrialCount(body, options.Value.Limits.Document);
        var run = await actions.ResumeAsync(id, caller, maxTrialCount, cancellationToken);
        return TypedResults.Ok(ExperimentDto.From(run));
    }

    /// <summary><c>{"maxTrialCount": N}</c>, or Katib's shape <c>{"spec": {"maxTrialCount": N}}</c> as a merge patch.</summary>
    private static long ReadMaxTrialCount(byte[] body, Core.Manifests.DocumentLimits limits)
    {
        // Checked first (nesting, text that is real UTF-8, sizes), so nothing read below throws for the sender.
        var root = body.Length == 0 ? null : Core.Manifests.JsonDocuments.Parse(body, limits);
        if (root is not JsonObject patch)
        {
            throw RequestException.BadField("body", "must be an object: {\"maxTrialCount\": N}");
        }
        var field = "maxTrialCount";
        var value = patch["maxTrialCount"];
        if (value is null && patch["spec"] is JsonObject spec)
        {
            field = "spec.maxTrialCount";
            value = spec["maxTrialCount"];
        }
        foreach (var (key, _) in patch)
        {
            if (key is not ("maxTrialCount" or "spec"))
            {
                throw Core.Errors.ValidationException.For(key, "cannot be changed; only maxTrialCount can");
            }
        }
        if (value is JsonValue number && number.GetValueKind() == JsonValueKind.Number && number.TryGetValue<long>(out var count))
        {
            return count;
        }
        throw Core.Errors.ValidationException.For(field, "is required: a whole number above the trials already made");
    }
}
