using Gantry.Backends;
using Gantry.Backends.Kubernetes.Management;
using Gantry.Core.Errors;
using Gantry.Core.Jobs;
using Gantry.Server.RateLimiting;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Api;

/// <summary>
/// The one place where errors become answers: each caller's mistake maps to its 4xx with
/// problem details naming the field; anything else is ours, logged, and a plain 500.
/// </summary>
public sealed partial class GantryExceptionHandler(IProblemDetailsService problems, ILogger<GantryExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = Map(exception);
        if (problem is null)
        {
            LogUnhandled(exception, httpContext.Request.Method, httpContext.Request.Path);
            return false;
        }
        httpContext.Response.StatusCode = problem.Status ?? 500;
        if (exception is RateLimitedException limited)
        {
            httpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(limited.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (!await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception }))
        {
            // The default writer declines when Accept leaves out JSON (a log follower sends
            // text/plain, a watcher text/event-stream): the caller still gets the reason.
            await httpContext.Response.WriteAsJsonAsync(problem, problem.GetType(), options: null, contentType: "application/problem+json", cancellationToken);
        }
        return true;
    }

    internal static ProblemDetails? Map(Exception exception) => exception switch
    {
        ValidationException e => new HttpValidationProblemDetails(e.Errors.ToDictionary())
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "Invalid fields",
            Detail = e.Message + " " + string.Join("; ", e.Errors.Select(kv => $"{kv.Key}: {string.Join(", ", kv.Value)}")),
        },
        NotSupportedYetException e => new HttpValidationProblemDetails(e.Fields.ToDictionary())
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "Not supported yet",
            Detail = e.Message + " " + string.Join("; ", e.Fields.Select(kv => $"{kv.Key}: {string.Join(", ", kv.Value)}")),
        },
        RequestException e => e.Field is null
            ? new ProblemDetails { Status = e.Status, Title = Title(e.Status), Detail = e.Message }
            : new HttpValidationProblemDetails(new Dictionary<string, string[]> { [e.Field] = [e.Message] })
            {
                Status = e.Status,
                Title = Title(e.Status),
                Detail = $"{e.Field}: {e.Message}",
            },
        LimitExceededException e => new HttpValidationProblemDetails(new Dictionary<string, string[]> { [e.Field] = [e.Message] })
        {
            Status = e.TooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest,
            Title = e.TooLarge ? "Request too large" : "Bad request",
            Detail = $"{e.Field}: {e.Message}",
            Extensions = { ["limit"] = e.Setting, ["limitValue"] = e.Limit },
        },
        MalformedDocumentException e => new HttpValidationProblemDetails(new Dictionary<string, string[]> { [e.Field] = [e.Message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "Bad request",
            Detail = $"{e.Field}: {e.Message}",
        },
        RateLimitedException e => new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Title = "Too many requests",
            Detail = e.Message,
            Extensions = { ["limit"] = e.Setting, ["limitValue"] = e.PerMinute, ["retryAfterSeconds"] = Math.Ceiling(e.RetryAfter.TotalSeconds) },
        },
        NotFoundException e => new ProblemDetails { Status = StatusCodes.Status404NotFound, Title = "Not found", Detail = e.Message },
        UnknownReplicaException e => new HttpValidationProblemDetails(new Dictionary<string, string[]> { ["replica"] = [e.Message] })
        {
            Status = StatusCodes.Status404NotFound,
            Title = "Not found",
            Detail = e.Message,
        },
        LogsGoneException e => new ProblemDetails { Status = StatusCodes.Status410Gone, Title = "Log gone", Detail = e.Message },
        ConflictException e => new ProblemDetails { Status = StatusCodes.Status409Conflict, Title = "Conflict", Detail = e.Message },
        InvalidTransitionException e => new ProblemDetails { Status = StatusCodes.Status409Conflict, Title = "Conflict", Detail = e.Message },
        ForbiddenException e => new ProblemDetails { Status = StatusCodes.Status403Forbidden, Title = "Forbidden", Detail = e.Message },
        ClusterApiException e => new ProblemDetails { Status = StatusCodes.Status502BadGateway, Title = "The cluster's API server failed", Detail = e.Message },
        BadHttpRequestException e => new ProblemDetails { Status = e.StatusCode, Title = Title(e.StatusCode), Detail = e.Message },
        _ => null,
    };

    private static string Title(int status) => status switch
    {
        400 => "Bad request",
        413 => "Request body too large",
        415 => "Unsupported media type",
        _ => "Request refused",
    };

    [LoggerMessage(1900, LogLevel.Error, "Unhandled error answering {Method} {Path}")]
    private partial void LogUnhandled(Exception exception, string method, string path);
}
