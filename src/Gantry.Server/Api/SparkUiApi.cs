using Gantry.Core.Errors;
using Gantry.Server.Auth;
using Gantry.Server.Jobs;
using Gantry.Server.Options;
using Gantry.Server.SparkUi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Gantry.Server.Api;

/// <summary>
/// The Spark UI as the API origin sees it. The UI itself is served only on the UI origin
/// (<see cref="SparkUiOriginMiddleware"/>); here:
/// <list type="bullet">
/// <item><c>POST /api/v1/jobs/{id}/spark-ui/link</c>: a signed, short-lived link that opens the job's UI in a browser.</item>
/// <item><c>GET|HEAD /api/v1/jobs/{id}/spark-ui/{**rest}</c>: 307 to the same path on the UI origin (other methods 405).</item>
/// </list>
/// </summary>
public static class SparkUiApi
{
    public static RouteGroupBuilder MapSparkUiApi(this RouteGroupBuilder api)
    {
        api.MapPost("/jobs/{id}/spark-ui/link", LinkAsync)
            .WithTags("Jobs").WithName("SparkUiLink")
            .WithSummary("A signed link to the job's Spark UI on the UI origin, good for Gantry:SparkUi:LinkSeconds; opening it sets a cookie for that one job's UI.")
            .Produces<SparkUiLinkDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapMethods("/jobs/{id}/spark-ui/{**rest}", [HttpMethods.Get, HttpMethods.Head], Redirect)
            .WithTags("Jobs").WithName("SparkUi")
            .WithSummary("The job's Spark UI lives on the UI origin: 307 to the same path there. A browser gets in through POST /api/v1/jobs/{id}/spark-ui/link.")
            // Nothing is read or served here, so nothing needs a token; the UI origin decides who gets in.
            .AllowAnonymous();
        return api;
    }

    private static async Task<Ok<SparkUiLinkDto>> LinkAsync(
        string id, HttpContext http, JobLifecycle jobs, SparkUiOrigin ui, SparkUiTickets tickets, IOptions<GantryOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = Caller.From(http.User);
        var job = await jobs.GetVisibleAsync(id, caller, cancellationToken);
        if (job.Kind != "SparkApplication")
        {
            throw new NotFoundException($"Spark UI of {job.Kind} job", job.Id);
        }
        if (!ui.Enabled)
        {
            throw NotServed();
        }
        var expires = time.GetUtcNow().AddSeconds(options.Value.SparkUi.LinkSeconds);
        var ticket = tickets.IssueLink(job.Id, caller.Name, expires);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new SparkUiLinkDto(ui.Url(job.Id, $"{SparkUiPaths.Open(job.Id)}?ticket={Uri.EscapeDataString(ticket)}"), expires));
    }

    private static RedirectHttpResult Redirect(string id, HttpContext http, SparkUiOrigin ui)
    {
        if (!ui.Enabled)
        {
            throw NotServed();
        }
        // The raw target, as the path guard checked it: the same path and query, on the other origin.
        var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (http.Request.Path + http.Request.QueryString);
        return TypedResults.Redirect(ui.Url(id, raw), permanent: false, preserveMethod: true);
    }

    private static RequestException NotServed() => new(StatusCodes.Status404NotFound,
        "This gateway serves no Spark UI: set Gantry:SparkUi:Urls (gantry serve --ui-urls) or Gantry:SparkUi:Origin.");
}
