using Gantry.Server.SparkUi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Hosting;

/// <summary>
/// Security headers on every answer of the API origin (dashboard, API, OpenAPI, health): a strict
/// CSP, nosniff, no Referer leaving the origin, never framed, and a browsing context group of its
/// own (a page it opens, such as a Spark UI, cannot reach back through <c>window.opener</c>). The UI
/// origin's answers are left to <see cref="SparkUiOriginMiddleware"/>: a Spark UI needs its inline scripts.
/// </summary>
public static class SecurityHeaders
{
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app, SparkUiOrigin ui) => app.Use((context, next) =>
    {
        if (!ui.IsUiRequest(context))
        {
            // At the last moment: an error answer clears the headers set before it was written.
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "same-origin";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                headers["Cross-Origin-Resource-Policy"] = "same-origin";
                if (!headers.ContainsKey("Content-Security-Policy"))
                {
                    // A page that set its own (the not-built page's inline style) keeps it.
                    headers.ContentSecurityPolicy = SecurityHeadersPolicy.Dashboard;
                }
                return Task.CompletedTask;
            });
        }
        return next(context);
    });
}
