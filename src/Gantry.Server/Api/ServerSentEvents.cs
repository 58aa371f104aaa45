using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gantry.Server.Api;

/// <summary>The event-stream framing the watch endpoints share: headers that keep proxies from buffering, events, keep-alives.</summary>
internal static class ServerSentEvents
{
    /// <summary>Sends nothing yet: marks the response as an unbuffered event stream.</summary>
    public static void Begin(HttpContext http)
    {
        var response = http.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        // nginx buffers responses unless told not to; a watcher would see nothing until it fills.
        response.Headers["X-Accel-Buffering"] = "no";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
    }

    /// <summary>One event, flushed at once; <paramref name="id"/> is what <c>Last-Event-ID</c> resumes after.</summary>
    public static async Task WriteAsync(HttpResponse response, long id, string name, string data, CancellationToken cancellationToken)
    {
        var text = new StringBuilder()
            .Append("id: ").Append(id).Append('\n')
            .Append("event: ").Append(name).Append('\n')
            .Append("data: ").Append(data).Append("\n\n")
            .ToString();
        await response.WriteAsync(text, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    /// <summary>A comment line, so that idle connections are not cut by proxies.</summary>
    public static async Task KeepAliveAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        await response.WriteAsync(": keep-alive\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
