namespace Gantry.Server.SparkUi;

/// <summary>
/// Maps URLs in a driver UI's answers back under the gateway's prefix for the job. Spark writes its
/// links and redirects under <c>spark.ui.proxyBase</c> (the gateway's prefix), but what sits between
/// may add its own: Jetty makes a redirect absolute with the driver's address, and the Kubernetes API
/// server's service proxy prepends its proxy path to absolute-path URLs in redirects and in HTML
/// attributes (<c>/api/v1/namespaces/ns/services/svc:4040/proxy</c> + the link). Both are undone here.
/// </summary>
public sealed class UpstreamLinks
{
    private readonly Uri _upstream;
    private readonly string _basePath;
    private readonly string _prefix;

    /// <param name="upstream">The UI's root as the gateway reaches it, ending with '/'.</param>
    /// <param name="gatewayPrefix">The job's UI prefix on the gateway, without a trailing slash.</param>
    public UpstreamLinks(Uri upstream, string gatewayPrefix)
    {
        _upstream = upstream;
        _basePath = upstream.AbsolutePath.EndsWith('/') ? upstream.AbsolutePath : upstream.AbsolutePath + "/";
        _prefix = gatewayPrefix;
    }

    /// <summary>Whether HTML bodies carry the upstream's own path (only behind a proxy that rewrites them: the API server's).</summary>
    public bool RewritesHtml => _basePath != "/";

    /// <summary>
    /// A redirect's target as the browser must follow it: under the gateway's prefix when it points
    /// at the UI; unchanged when it is relative to the page or on another host.
    /// </summary>
    public string Location(string location)
    {
        string target;
        if (location.StartsWith("//", StringComparison.Ordinal))
        {
            return location;
        }
        if (location.StartsWith('/'))
        {
            target = location;
        }
        else if (Uri.TryCreate(location, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            if (!SameOrigin(absolute))
            {
                return location;
            }
            target = absolute.GetComponents(UriComponents.PathAndQuery | UriComponents.Fragment, UriFormat.UriEscaped);
        }
        else
        {
            return location;
        }
        var inside = Inside(target);
        if (inside is null)
        {
            return location;
        }
        return StartsWithPrefix(inside) ? inside : _prefix + inside;
    }

    /// <summary>An HTML page with the upstream proxy's path taken off the links that Spark wrote under the gateway's prefix.</summary>
    public string Html(string html) =>
        RewritesHtml ? html.Replace(_basePath.TrimEnd('/') + _prefix, _prefix, StringComparison.Ordinal) : html;

    /// <summary>The absolute path relative to the UI's root ("/jobs/"), or null when it is outside it.</summary>
    private string? Inside(string target)
    {
        if (target.StartsWith(_basePath, StringComparison.Ordinal))
        {
            return "/" + target[_basePath.Length..];
        }
        var bare = _basePath.TrimEnd('/');
        return bare.Length > 0 && target.StartsWith(bare, StringComparison.Ordinal) && target.Length > bare.Length && target[bare.Length] is '?' or '#'
            ? "/" + target[bare.Length..]
            : null;
    }

    private bool StartsWithPrefix(string path) =>
        path.StartsWith(_prefix, StringComparison.OrdinalIgnoreCase)
        && (path.Length == _prefix.Length || path[_prefix.Length] is '/' or '?' or '#');

    private bool SameOrigin(Uri uri) =>
        string.Equals(uri.Scheme, _upstream.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(uri.Host, _upstream.Host, StringComparison.OrdinalIgnoreCase)
        && uri.Port == _upstream.Port;
}
