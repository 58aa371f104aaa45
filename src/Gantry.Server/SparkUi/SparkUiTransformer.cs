using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Forwarder;

namespace Gantry.Server.SparkUi;

/// <summary>
/// Shapes one forwarded request and its answer: the request goes to exactly the driver UI URL the
/// gateway chose, without the caller's credentials; the answer's redirects and (behind the API
/// server) HTML links are put back under the gateway's prefix, and it may not set cookies on the
/// gateway's origin.
/// </summary>
internal sealed class SparkUiTransformer(Uri destination, UpstreamLinks links) : HttpTransformer
{
    /// <summary>Larger pages are passed through unrewritten rather than held in memory.</summary>
    private const long MaxRewrittenBytes = 16 * 1024 * 1024;

    // The caller's credentials are for the gateway; what the cluster needs, its invoker adds.
    // Accept-Encoding: answers come uncompressed so HTML can be rewritten. Forwarding headers: the
    // caller's own claims about where it is are not passed on.
    private static readonly string[] CallerOnly =
    [
        HeaderNames.Authorization, HeaderNames.ProxyAuthorization, HeaderNames.Cookie, HeaderNames.AcceptEncoding,
        "Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Prefix", "X-Real-IP",
    ];

    public override async ValueTask TransformRequestAsync(
        HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        proxyRequest.RequestUri = destination;
        proxyRequest.Headers.Host = null;
        foreach (var name in CallerOnly)
        {
            proxyRequest.Headers.Remove(name);
        }
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var copyBody = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        if (proxyResponse is null)
        {
            return copyBody;
        }
        var headers = httpContext.Response.Headers;
        headers.Remove(HeaderNames.SetCookie);
        if (headers.Location.ToString() is { Length: > 0 } location)
        {
            headers.Location = links.Location(location);
        }
        if (!copyBody || !ShouldRewrite(httpContext.Request, proxyResponse))
        {
            return copyBody;
        }
        var html = links.Html(await proxyResponse.Content.ReadAsStringAsync(cancellationToken));
        headers.ContentLength = null;
        headers.ContentType = "text/html; charset=utf-8";
        await httpContext.Response.WriteAsync(html, Encoding.UTF8, cancellationToken);
        return false;
    }

    private bool ShouldRewrite(HttpRequest request, HttpResponseMessage response)
    {
        var content = response.Content.Headers;
        return links.RewritesHtml
            && !HttpMethods.IsHead(request.Method)
            && content.ContentType?.MediaType is "text/html"
            && content.ContentEncoding.Count == 0
            && content.ContentLength is null or <= MaxRewrittenBytes;
    }
}
