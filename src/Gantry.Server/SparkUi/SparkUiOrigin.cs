using Gantry.Core.Jobs;
using Gantry.Server.Options;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.SparkUi;

/// <summary>
/// Where proxied Spark UIs live, apart from the API and the dashboard: requests that arrive on a
/// UI listener (<c>Gantry:SparkUi:Urls</c>, told apart by local port) or name the UI origin's host
/// (<c>Gantry:SparkUi:Origin</c>, for an ingress routing a second host name to this process) are UI
/// requests, and nothing else is served to them. Scripts in a UI therefore never share an origin
/// with the dashboard and its token.
/// <para>
/// An origin whose host starts with <c>*.</c> (<c>https://*.ui.gantry.example</c>) gives every job
/// its own origin, <c>https://{job id}.ui.gantry.example</c>, and each host serves only its job's
/// UI: a script in one job's UI then cannot read another job's UI that the same viewer has open
/// (with one shared UI origin it can, since the paths of cookies are no boundary between the
/// scripts of one origin).
/// </para>
/// </summary>
public sealed class SparkUiOrigin
{
    /// <summary>The first label of a per-job origin's host, as configured.</summary>
    public const string JobLabel = "*.";

    private readonly HashSet<int> _listenerPorts;
    private readonly string? _hostHeader;
    private readonly string? _jobHostSuffix;

    public SparkUiOrigin(GantryOptions options)
    {
        var listeners = SparkUiOptionsValidator.Split(options.SparkUi.Urls)
            .Select(SparkUiOptionsValidator.ListenerUri).OfType<Uri>().ToList();
        _listenerPorts = listeners.Select(u => u.Port).ToHashSet();
        var configured = options.SparkUi.Origin;
        if (IsPerJob(configured))
        {
            // Parsed with a stand-in first label: a URI's host cannot hold '*'.
            var template = new Uri(WithFirstLabel(configured, "job"));
            Origin = template;
            _jobHostSuffix = HostHeader(template)["job".Length..];
            Display = configured.TrimEnd('/');
        }
        else
        {
            Origin = configured.Length > 0 ? new Uri(configured)
                : listeners.Count > 0 ? OriginOf(listeners[0], options.PublicUrl)
                : null;
            _hostHeader = Origin is null ? null : HostHeader(Origin);
            Display = Origin?.GetLeftPart(UriPartial.Authority);
        }
    }

    /// <summary>
    /// The UI origin (scheme, host, port) as browsers reach it, null when no Spark UI is served; for
    /// an origin per job, the pattern with <c>job</c> as its first label.
    /// </summary>
    public Uri? Origin { get; }

    /// <summary>The origin as people read it (<c>https://*.ui.gantry.example</c> for an origin per job), or null.</summary>
    public string? Display { get; }

    public bool Enabled => Origin is not null;

    /// <summary>Whether every job's UI has an origin of its own (a <c>*.</c> host).</summary>
    public bool PerJob => _jobHostSuffix is not null;

    /// <summary>Whether a configured <c>Gantry:SparkUi:Origin</c> asks for an origin per job.</summary>
    public static bool IsPerJob(string origin) => origin.Contains("://" + JobLabel, StringComparison.Ordinal);

    /// <summary>The origin with its <c>*</c> label replaced (<c>https://*.ui.example</c> → <c>https://{label}.ui.example</c>).</summary>
    public static string WithFirstLabel(string origin, string label) =>
        origin.Replace("://" + JobLabel, "://" + label + ".", StringComparison.Ordinal);

    /// <summary>Whether the request is for the UI origin: it came in on a UI listener or names the UI host.</summary>
    public bool IsUiRequest(HttpContext http) =>
        _listenerPorts.Contains(http.Connection.LocalPort)
        || (_hostHeader is not null && string.Equals(http.Request.Host.Value, _hostHeader, StringComparison.OrdinalIgnoreCase))
        || JobOfHost(http) is not null;

    /// <summary>
    /// Whether this UI request may be answered for the job: always with one shared origin; with an
    /// origin per job, only on that job's own host.
    /// </summary>
    public bool Serves(HttpContext http, string jobId) =>
        !PerJob || string.Equals(JobOfHost(http), jobId, StringComparison.Ordinal);

    /// <summary>An absolute URL on the job's UI origin for a path (and query) that starts with '/'.</summary>
    public string Url(string jobId, string pathAndQuery)
    {
        var origin = Origin ?? throw new InvalidOperationException("No Spark UI origin is configured.");
        var authority = origin.GetLeftPart(UriPartial.Authority);
        return (PerJob ? WithFirstLabel(Display!, jobId) : authority) + pathAndQuery;
    }

    /// <summary>Whether the origin is https, so its cookie is marked Secure.</summary>
    public bool IsHttps => Origin?.Scheme == Uri.UriSchemeHttps;

    /// <summary>The job a per-job UI host names (<c>{id}.ui.gantry.example</c>), or null.</summary>
    private string? JobOfHost(HttpContext http)
    {
        var host = http.Request.Host.Value;
        if (_jobHostSuffix is null || host is null || !host.EndsWith(_jobHostSuffix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        // Host names are case-blind and job ids are lower case.
        var label = host[..^_jobHostSuffix.Length].ToLowerInvariant();
        return JobId.IsWellFormed(label) ? label : null;
    }

    private static string HostHeader(Uri origin) => origin.IsDefaultPort ? origin.Host : $"{origin.Host}:{origin.Port}";

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
