using System.Text.RegularExpressions;

namespace Gantry.Sandbox.Api;

/// <summary>
/// What kube-apiserver's service proxy does to a backend's answers: a URL on the backend's own
/// host (or host-less) with an absolute path gets the proxy path (<c>/api/v1/namespaces/ns/services/svc:port/proxy</c>)
/// in front of it, in a redirect's Location and in the URL attributes of an HTML page; relative URLs
/// and other hosts are left alone. Anything that proxies the proxy must undo this.
/// </summary>
internal sealed partial class ProxyUrlRewriter(string proxyPath, string backendHost)
{
    public string Url(string target)
    {
        if (target.StartsWith("//", StringComparison.Ordinal))
        {
            return target;
        }
        string path;
        if (target.StartsWith('/'))
        {
            path = target;
        }
        else if (Uri.TryCreate(target, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            if (!string.Equals(absolute.Authority, backendHost, StringComparison.OrdinalIgnoreCase))
            {
                return target;
            }
            // The proxy has no scheme and host of its own to put back: the URL becomes host-less.
            path = absolute.GetComponents(UriComponents.PathAndQuery | UriComponents.Fragment, UriFormat.UriEscaped);
        }
        else
        {
            return target;
        }
        return path.StartsWith(proxyPath, StringComparison.Ordinal) ? path : proxyPath + path;
    }

    public string Html(string html) =>
        UrlAttribute().Replace(html, m => $"{m.Groups["name"].Value}=\"{Url(m.Groups["value"].Value)}\"");

    [GeneratedRegex("(?<name>\\b(?:href|src|action|background|cite|codebase|data|longdesc|profile|usemap|icon|manifest|poster|archive))=\"(?<value>[^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex UrlAttribute();
}
