using System.Net;
using Gantry.Core.Jobs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Gantry.Server.SparkUi;

/// <summary>
/// The answer when a Spark job's driver is not running (not started yet, or ended, with its UI):
/// 409 with a page for a browser (it asked for text/html) or problem details otherwise, both
/// naming the job's state and linking its logs.
/// </summary>
internal static class DriverUnavailable
{
    public static async Task WriteAsync(HttpContext http, Job job, IProblemDetailsService problems)
    {
        var (title, detail) = Describe(job);
        var logs = SparkUiPaths.Logs(job.Id);
        http.Response.StatusCode = StatusCodes.Status409Conflict;
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Link = $"<{logs}>; rel=\"logs\"";
        if (WantsHtml(http.Request))
        {
            http.Response.ContentType = "text/html; charset=utf-8";
            await http.Response.WriteAsync(Page(job, title, detail, logs), http.RequestAborted);
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

    private static (string Title, string Detail) Describe(Job job)
    {
        var message = string.IsNullOrEmpty(job.Message) ? "" : $" ({job.Message})";
        return job.State switch
        {
            _ when job.IsTerminal => (
                "The Spark driver has ended",
                $"Job {job.Id} is {job.State}{message}; its Spark UI ended with its driver. Its logs are at {SparkUiPaths.Logs(job.Id)}."),
            JobState.Running => (
                "The Spark driver's UI is not reachable yet",
                $"Job {job.Id} is Running{message}, but its driver has not reported a UI yet; try again in a few seconds."),
            JobState.Cancelling => (
                "The Spark driver is stopping",
                $"Job {job.Id} is Cancelling{message}; its Spark UI goes with its driver. Its logs are at {SparkUiPaths.Logs(job.Id)}."),
            _ => (
                "The Spark driver is not running yet",
                $"Job {job.Id} is {job.State}{message}; its Spark UI opens once the driver runs. Follow it at {SparkUiPaths.Logs(job.Id)}?follow=true."),
        };
    }

    private static bool WantsHtml(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

    private static string Page(Job job, string title, string detail, string logs)
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
            <p>Logs: <a href="{{WebUtility.HtmlEncode(logs)}}">{{WebUtility.HtmlEncode(logs)}}</a> (send your token), or <code>gantry logs {{id}}</code>.</p>
            </body></html>
            """;
    }
}
