using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Gantry.Backends.Kubernetes;

/// <summary>Reads the API server's answers: status codes, Status bodies, and which failures are worth retrying.</summary>
internal static class KubernetesErrors
{
    public static HttpStatusCode? Code(Exception exception) =>
        exception is HttpOperationException { Response: { } response } ? response.StatusCode : null;

    public static bool IsNotFound(Exception exception) => Code(exception) == HttpStatusCode.NotFound;

    public static bool IsGone(Exception exception) => Code(exception) == HttpStatusCode.Gone;

    /// <summary>
    /// The server did not answer, answered 5xx or 429 (throttled), or a call timed out: the
    /// request may well succeed later. <paramref name="cancellationToken"/> tells our own
    /// cancellation from the client's timeout.
    /// </summary>
    public static bool IsTransient(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        HttpOperationException { Response: { } r } => (int)r.StatusCode >= 500 || r.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.Unauthorized,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        HttpRequestException or IOException or TimeoutException => true,
        _ => false,
    };

    public static V1Status? Status(Exception exception)
    {
        if (exception is not HttpOperationException { Response.Content: { Length: > 0 } content })
        {
            return null;
        }
        try
        {
            return KubernetesJson.Deserialize<V1Status>(content);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>The server's own words for a failure: the Status message and every cause with its field.</summary>
    public static string Describe(Exception exception)
    {
        if (Status(exception) is { } status)
        {
            var causes = status.Details?.Causes?.Select(c => string.IsNullOrEmpty(c.Field) ? c.Message : $"{c.Field}: {c.Message}").ToList() ?? [];
            var message = string.IsNullOrEmpty(status.Message) ? $"{status.Code} {status.Reason}" : status.Message;
            return causes.Count == 0 || causes.All(c => message.Contains(c, StringComparison.Ordinal))
                ? message
                : $"{message} ({string.Join("; ", causes)})";
        }
        return exception switch
        {
            HttpOperationException { Response: { } r } => $"HTTP {(int)r.StatusCode} {r.ReasonPhrase}",
            OperationCanceledException => "the API server did not answer in time",
            _ => exception.Message,
        };
    }

    /// <summary>A failed call made while dispatching, as the DispatchException the life cycle understands.</summary>
    public static DispatchException ForDispatch(string action, Exception exception, CancellationToken cancellationToken) =>
        new($"{action}: {Describe(exception)}", IsTransient(exception, cancellationToken), exception);
}
