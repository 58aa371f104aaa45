using Gantry.Server.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gantry.Server.SparkUi;

/// <summary>
/// Refuses, with a 400 naming <c>path</c>, any request aimed at a job's Spark UI whose raw target
/// tries to leave it (dot segments, encoded slashes or dots, backslashes, absolute URLs). It runs
/// before authentication and routing see the request, because Kestrel has already removed dot
/// segments from the path they see: <c>spark-ui/../../x</c> would otherwise be routed to <c>x</c>.
/// </summary>
public static class SparkUiPathGuard
{
    public static IApplicationBuilder UseSparkUiPathGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "";
        var rawPath = SparkUiTarget.PathOf(raw);
        if (AimsAtSparkUi(context.Request, rawPath) && SparkUiTarget.Refusal(rawPath) is { } refusal)
        {
            throw RequestException.BadField("path", $"A Spark UI path {refusal}; nothing outside the job's UI is reachable through it.");
        }
        await next(context);
    });

    private static bool AimsAtSparkUi(HttpRequest request, string rawPath)
    {
        if (SparkUiPaths.IsSparkUiPath(request.Path.Value ?? ""))
        {
            return true;
        }
        try
        {
            return SparkUiPaths.IsSparkUiPath(Uri.UnescapeDataString(rawPath))
                || (Uri.TryCreate(rawPath, UriKind.Absolute, out var absolute) && SparkUiPaths.IsSparkUiPath(Uri.UnescapeDataString(absolute.AbsolutePath)));
        }
        catch (UriFormatException)
        {
            return true;
        }
    }
}
