using System.Net;
using Gantry.Server.Hosting;
using Gantry.Server.Options;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Gantry.Server.SparkUi;

/// <summary>The UI origin's own answers (not the driver's): a refusal, and the step from an opened link to the UI.</summary>
internal static class SparkUiPages
{
    /// <summary>401/403 as a page for a browser (with a way back to the job in the dashboard), problem details otherwise.</summary>
    public static async Task RefusedAsync(HttpContext http, int status, string jobId, GantryOptions options, string detail)
    {
        Protect(http.Response);
        http.Response.StatusCode = status;
        var title = status == StatusCodes.Status401Unauthorized ? "Open the Spark UI through a link" : "This link cannot be opened";
        if (http.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase)))
        {
            var dashboard = $"{options.PublicUrl.TrimEnd('/')}/jobs/{Uri.EscapeDataString(jobId)}";
            http.Response.ContentType = "text/html; charset=utf-8";
            await http.Response.WriteAsync(Page(title, $"""
                <p>{WebUtility.HtmlEncode(detail)}</p>
                <p><a href="{WebUtility.HtmlEncode(dashboard)}">Job {WebUtility.HtmlEncode(jobId)} in the dashboard</a></p>
                """), http.RequestAborted);
            return;
        }
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        await http.Response.WriteAsJsonAsync(problem, problem.GetType(), options: null, contentType: "application/problem+json", http.RequestAborted);
    }

    /// <summary>
    /// 200 with a page that moves on to <paramref name="target"/> on this origin. Not a redirect: after
    /// a redirect the browser still counts the request as coming from the page that held the link (a
    /// notebook on another site), and withholds the SameSite=Strict cookie just set. A refresh from
    /// this page comes from this origin, so the cookie goes with it.
    /// </summary>
    public static Task ContinueAsync(HttpContext http, string target)
    {
        Protect(http.Response);
        http.Response.ContentType = "text/html; charset=utf-8";
        var href = WebUtility.HtmlEncode(target);
        return http.Response.WriteAsync(Page("Opening the Spark UI", $"""
            <p>Opening the Spark UI… <a href="{href}">continue</a> if nothing happens.</p>
            """, $"""<meta http-equiv="refresh" content="0;url={href}">"""), http.RequestAborted);
    }

    // The ticket is in this page's URL: no Referer may carry it on, and no cache may keep it.
    private static void Protect(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = SecurityHeadersPolicy.GatewayPage;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.XFrameOptions = "DENY";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.CacheControl = "no-store";
    }

    private static string Page(string title, string body, string head = "") => $$"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>{{WebUtility.HtmlEncode(title)}}</title>{{head}}
        <style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem;line-height:1.5}</style>
        </head><body>
        <h1>{{WebUtility.HtmlEncode(title)}}</h1>
        {{body}}
        </body></html>
        """;
}
