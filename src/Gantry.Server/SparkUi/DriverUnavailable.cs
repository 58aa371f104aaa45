using System.Net;
using Gantry.Core.Jobs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Gantry.Server.Hosting;
using Microsoft.Net.Http.Headers;

namespace Gantry.Server.SparkUi;

/// <summary>
/// The answer when a Spark job's driver is not running (not started yet, or ended, with its UI):
/// 409 with a page for a browser (it asked for text/html) or problem details otherwise, both
/// naming the job's state and linking its logs.
/// </summary>
internal static class DriverUnavailable
{
    /// <param name="apiBase">The API origin (the gateway's public URL): this answer is served on the UI origin, which has no logs.</param>
    public static async Task WriteAsync(HttpContext http, Job job, IProblemDetailsService problems, string apiBase)
    {
        var logs = apiBase + SparkUiPaths.Logs(job.Id);
        var (title, detail) = Describe(job, logs);
        http.Response.StatusCode = StatusCodes.Status409Conflict;
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Link = $"<{logs}>; rel=\"logs\"";
        if (WantsHtml(http.Request))
        {
            http.Response.ContentType = "text/html; charset=utf-8";
            http.Response.Headers.ContentSecurityPolicy = SecurityHeadersPolicy.GatewayPage;
            await http.Response.WriteAsync(Page(job, title, detail, $"{apiBase}/jobs/{job.Id}"), http.RequestAborted);
            return;
        }
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status409Conflict,
            Title = title,
            Detail = detail,
            Extensions = { ["state"] = job.State.ToString(), ["logs"] = logs },
        };
        if (!await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem }))
        {
            await http.Response.WriteAsJsonAsync(problem, problem.GetType(), options: null, contentType: "application/problem+json", http.RequestAborted);
        }
    }

    private static (string Title, string Detail) Describe(Job job, string logs)
    {
        var message = string.IsNullOrEmpty(job.Message) ? "" : $" ({job.Message})";
        return job.State switch
        {
            _ when job.IsTerminal => (
                "The Spark driver has ended",
                $"Job {job.Id} is {job.State}{message}; its Spark UI ended with its driver. Its logs are at {logs}."),
            JobState.Running => (
                "The Spark driver's UI is not reachable yet",
                $"Job {job.Id} is Running{message}, but its driver has not reported a UI yet; try again in a few seconds."),
            JobState.Cancelling => (
                "The Spark driver is stopping",
                $"Job {job.Id} is Cancelling{message}; its Spark UI goes with its driver. Its logs are at {logs}."),
            _ => (
                "The Spark driver is not running yet",
                $"Job {job.Id} is {job.State}{message}; its Spark UI opens once the driver runs. Follow it at {logs}?follow=true."),
        };
    }

    private static bool WantsHtml(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

    private static string Page(Job job, string title, string detail, string dashboard)
    {
        var t = WebUtility.HtmlEncode(title);
        var id = WebUtility.HtmlEncode(job.Id);
        return $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>{{t}} · job {{id}}</title>
            <style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem;line-height:1.5}code{background:#f3f3f3;padding:0 .2rem}</style>
            </head><body>
            <h1>{{t}}</h1>
            <p>{{WebUtility.HtmlEncode(detail)}}</p>
            <p>Logs: <a href="{{WebUtility.HtmlEncode(dashboard)}}">the job in the dashboard</a>, or <code>gantry logs {{id}}</code>.</p>
            </body></html>
            """;
    }
}
