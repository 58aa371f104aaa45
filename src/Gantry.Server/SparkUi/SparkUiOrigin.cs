using Gantry.Server.Options;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.SparkUi;

/// <summary>
/// Where proxied Spark UIs live, apart from the API and the dashboard: requests that arrive on a
/// UI listener (<c>Gantry:SparkUi:Urls</c>, told apart by local port) or name the UI origin's host
/// (<c>Gantry:SparkUi:Origin</c>, for an ingress routing a second host name to this process) are UI
/// requests, and nothing else is served to them. Scripts in a UI therefore never share an origin
/// with the dashboard and its token.
/// </summary>
public sealed class SparkUiOrigin
{
    private readonly HashSet<int> _listenerPorts;
    private readonly string? _hostHeader;

    public SparkUiOrigin(GantryOptions options)
    {
        var listeners = SparkUiOptionsValidator.Split(options.SparkUi.Urls)
            .Select(SparkUiOptionsValidator.ListenerUri).OfType<Uri>().ToList();
        _listenerPorts = listeners.Select(u => u.Port).ToHashSet();
        Origin = options.SparkUi.Origin.Length > 0 ? new Uri(options.SparkUi.Origin)
            : listeners.Count > 0 ? OriginOf(listeners[0], options.PublicUrl)
            : null;
        if (Origin is not null)
        {
            _hostHeader = Origin.IsDefaultPort ? Origin.Host : $"{Origin.Host}:{Origin.Port}";
        }
    }

    /// <summary>The UI origin (scheme, host, port) as browsers reach it; null when no Spark UI is served.</summary>
    public Uri? Origin { get; }

    public bool Enabled => Origin is not null;

    /// <summary>Whether the request is for the UI origin: it came in on a UI listener or names the UI host.</summary>
    public bool IsUiRequest(HttpContext http) =>
        _listenerPorts.Contains(http.Connection.LocalPort)
        || (_hostHeader is not null && string.Equals(http.Request.Host.Value, _hostHeader, StringComparison.OrdinalIgnoreCase));

    /// <summary>An absolute URL on the UI origin for a path (and query) that starts with '/'.</summary>
    public string Url(string pathAndQuery) =>
        (Origin ?? throw new InvalidOperationException("No Spark UI origin is configured.")).GetLeftPart(UriPartial.Authority) + pathAndQuery;

    /// <summary>Whether the origin is https, so its cookie is marked Secure.</summary>
    public bool IsHttps => Origin?.Scheme == Uri.UriSchemeHttps;

    // A listener on every address (0.0.0.0, [::]) is reached by the public URL's host name.
    private static Uri OriginOf(Uri listener, string publicUrl)
    {
        var host = listener.Host;
        if (host is "0.0.0.0" or "[::]" or "::" && Uri.TryCreate(publicUrl, UriKind.Absolute, out var api))
        {
            host = api.Host;
        }
        return new UriBuilder(listener.Scheme, host, listener.Port).Uri;
    }
}
