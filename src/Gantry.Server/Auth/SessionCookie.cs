using Gantry.Server.SparkUi;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Auth;

/// <summary>
/// A browser's way into a Spark UI: a link cannot carry an Authorization header, so
/// <c>POST /api/v1/session</c> puts the bearer token in this HttpOnly, SameSite=Strict cookie. It
/// authenticates nothing but GET and HEAD under <c>/api/v1/jobs/{id}/spark-ui</c>: for the rest of
/// the API a cookie would let another site's page act with the user's rights (CSRF).
/// </summary>
public static class SessionCookie
{
    public const string Name = "gantry_session";

    /// <summary>The narrowest path that covers every job's UI; the browser sends the cookie nowhere else.</summary>
    public const string Path = "/api/v1/jobs";

    /// <summary>Whether the cookie may authenticate <paramref name="request"/>.</summary>
    public static bool Authenticates(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && SparkUiPaths.IsSparkUiPath(request.Path.Value ?? "");

    /// <param name="secure">Only over https: true when the request came over https or the gateway's public URL is https.</param>
    public static CookieOptions Options(bool secure) => new()
    {
        HttpOnly = true,
        Secure = secure,
        SameSite = SameSiteMode.Strict,
        Path = Path,
        IsEssential = true,
    };
}
