using Gantry.Core.Errors;
using Gantry.Server.Api;
using Gantry.Server.Auth;
using Gantry.Server.Options;
using Gantry.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gantry.Server.SparkUi;

/// <summary>
/// Everything the UI origin answers, ahead of routing and authentication (no API endpoint, no
/// dashboard, no bearer token is ever looked at there):
/// <list type="bullet">
/// <item><c>GET /api/v1/jobs/{id}/spark-ui-open?ticket=…</c>: a signed link; sets the job's UI cookie and moves on to the UI.</item>
/// <item><c>GET|HEAD /api/v1/jobs/{id}/spark-ui/…</c>: the job's UI, for the user its cookie names (<see cref="SparkUiProxy"/>).</item>
/// <item>anything else, and with an origin per job any job but the one the host names: 404.</item>
/// </list>
/// </summary>
public static class SparkUiOriginMiddleware
{
    public static IApplicationBuilder UseSparkUiOrigin(this IApplicationBuilder app, SparkUiOrigin ui) => app.Use(async (context, next) =>
    {
        if (!ui.IsUiRequest(context))
        {
            await next(context);
            return;
        }
        var (id, area) = Split(context.Request.Path.Value ?? "");
        if (id is not null && !ui.Serves(context, id))
        {
            // With an origin per job, a job's host answers for that job only.
            area = null;
        }
        var get = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);
        switch (area)
        {
            case "spark-ui-open" when get:
                await OpenAsync(context, id!);
                return;
            case "spark-ui" when get:
                await ServeAsync(context, id!);
                return;
            case "spark-ui" or "spark-ui-open":
                context.Response.Headers.Allow = "GET, HEAD";
                throw new RequestException(StatusCodes.Status405MethodNotAllowed, "The Spark UI origin answers GET and HEAD only.");
            default:
                throw new NotFoundException("Spark UI origin path", context.Request.Path.Value ?? "/");
        }
    });

    /// <summary>Trades a link's ticket for the job's UI cookie, then sends the browser to the UI.</summary>
    private static async Task OpenAsync(HttpContext http, string id)
    {
        var services = http.RequestServices;
        var tickets = services.GetRequiredService<SparkUiTickets>();
        var grant = tickets.ReadLink(http.Request.Query["ticket"], id);
        var caller = grant is null ? null : await CallerAsync(services, grant.User, http.RequestAborted);
        if (caller is null)
        {
            await SparkUiPages.RefusedAsync(http, StatusCodes.Status403Forbidden, id, Options(services),
                "This Spark UI link is not valid or has expired: links are signed for one job and last a few minutes. Ask for a new one (the dashboard's \"Open the Spark UI\", or job.open_spark_ui() in the SDK).");
            return;
        }
        await VisibleSparkJobAsync(services, id, caller, http.RequestAborted);
        var options = Options(services);
        var lifetime = TimeSpan.FromSeconds(options.SparkUi.CookieSeconds);
        var expires = services.GetRequiredService<TimeProvider>().GetUtcNow() + lifetime;
        http.Response.Cookies.Append(SparkUiCookie.Name, tickets.IssueCookie(id, caller.Name, expires),
            SparkUiCookie.Options(id, services.GetRequiredService<SparkUiOrigin>().IsHttps || http.Request.IsHttps, lifetime));
        await SparkUiPages.ContinueAsync(http, SparkUiPaths.ProxyBase(id) + "/");
    }

    private static async Task ServeAsync(HttpContext http, string id)
    {
        var services = http.RequestServices;
        var tickets = services.GetRequiredService<SparkUiTickets>();
        var grant = SparkUiCookie.Values(http.Request).Select(v => tickets.ReadCookie(v, id)).FirstOrDefault(g => g is not null);
        var caller = grant is null ? null : await CallerAsync(services, grant.User, http.RequestAborted);
        if (caller is null)
        {
            await SparkUiPages.RefusedAsync(http, StatusCodes.Status401Unauthorized, id, Options(services),
                $"Open this job's Spark UI through a signed link: the dashboard's \"Open the Spark UI\", job.open_spark_ui() in the SDK, or POST /api/v1/jobs/{id}/spark-ui/link on the API. The link sets a cookie for this one job's UI, good for a while.");
            return;
        }
        await services.GetRequiredService<SparkUiProxy>().ForwardAsync(http, id, caller, http.RequestAborted);
    }

    /// <summary>The user a grant names, as they are now (deleted users and changed roles count).</summary>
    private static async Task<Caller?> CallerAsync(IServiceProvider services, string name, CancellationToken cancellationToken) =>
        await services.GetRequiredService<IGantryStore>().Users.GetAsync(name, cancellationToken) is { } user ? new Caller(user.Name, user.Role) : null;

    private static async Task VisibleSparkJobAsync(IServiceProvider services, string id, Caller caller, CancellationToken cancellationToken)
    {
        var job = await services.GetRequiredService<Jobs.JobLifecycle>().GetVisibleAsync(id, caller, cancellationToken);
        if (job.Kind != "SparkApplication")
        {
            throw new NotFoundException($"Spark UI of {job.Kind} job", job.Id);
        }
    }

    private static GantryOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<GantryOptions>>().Value;

    /// <summary>The job id and what follows it ("spark-ui", "spark-ui-open") in /api/v1/jobs/{id}/..., or nulls.</summary>
    private static (string? Id, string? Area) Split(string path)
    {
        var segments = path.Split('/');
        return segments.Length >= 6 && segments[0].Length == 0
            && segments[1].Equals("api", StringComparison.OrdinalIgnoreCase)
            && segments[2].Equals("v1", StringComparison.OrdinalIgnoreCase)
            && segments[3].Equals("jobs", StringComparison.OrdinalIgnoreCase)
            && segments[4].Length > 0
            && (segments[5].Equals("spark-ui", StringComparison.OrdinalIgnoreCase) || (segments[5].Equals("spark-ui-open", StringComparison.OrdinalIgnoreCase) && segments.Length == 6))
            ? (segments[4], segments[5].ToLowerInvariant())
            : (null, null);
    }
}
