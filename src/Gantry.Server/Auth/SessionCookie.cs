using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Auth;

/// <summary>
/// The dashboard's session: <c>POST /api/v1/session</c> trades a user's token for this cookie, so the
/// token itself never stays where page scripts can read it, and every tab of the browser is signed
/// in. The cookie is ASP.NET Core's cookie authentication ticket (sealed with Data Protection under
/// the shared key ring): HttpOnly, SameSite=Strict, Secure on https, <c>Path=/api/v1</c>, and it
/// names the token's id, never its secret. Every request re-reads that token (<see cref="SessionEvents"/>),
/// so revoking or expiring it ends the session. Unsafe methods carried by the cookie need the
/// antiforgery header (<see cref="SessionCsrf"/>).
/// </summary>
public static class SessionCookie
{
    /// <summary>The cookie authentication scheme.</summary>
    public const string Scheme = "Session";

    /// <summary>The default scheme: picks <see cref="Scheme"/>, the bearer scheme or an identity provider's per request (<see cref="Identity.SchemeSelector"/>).</summary>
    public const string PolicyScheme = "BearerOrSession";

    public const string Name = "gantry_session";

    /// <summary>Only the API needs it; the dashboard's pages and assets are public.</summary>
    public const string Path = "/api/v1";

    /// <summary>The header that carries the antiforgery request token, which <c>GET /api/v1/session</c> answers.</summary>
    public const string CsrfHeader = "X-CSRF-Token";

    /// <summary>Antiforgery's own (HttpOnly) cookie, half of the pair it checks.</summary>
    public const string CsrfCookie = "gantry_csrf";

    /// <summary>
    /// What the browser says about where a request comes from (<c>Sec-Fetch-Site</c>): the dashboard's
    /// own scripts (<c>same-origin</c>) or the user, typing or bookmarking an address (<c>none</c>). A
    /// page of the Spark UI origin is another origin of the same site (another port of the same host
    /// by default): SameSite lets its requests carry the cookie, this does not let them use it.
    /// Without the header (not a browser, or one too old to send it) the answer is yes; CSRF tokens
    /// and CORS still stand.
    /// </summary>
    public static bool FromOwnOrigin(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"];
        return site.Count == 0 || site == "same-origin" || site == "none";
    }

    public static bool IsSafe(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);
}
