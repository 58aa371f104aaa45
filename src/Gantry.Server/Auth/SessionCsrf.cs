using Gantry.Server.Api;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gantry.Server.Auth;

/// <summary>
/// Every unsafe request (anything but GET, HEAD, OPTIONS, TRACE) that the session cookie
/// authenticated must carry ASP.NET Core antiforgery's request token in <c>X-CSRF-Token</c>, matching
/// its HttpOnly cookie and the session's user; otherwise 403 naming the header. The request token
/// is answered by <c>GET|POST /api/v1/session</c>, which no other origin can read (no CORS), and it
/// is never in a cookie a script could read. Bearer requests are not looked at.
/// </summary>
public static class SessionCsrf
{
    public static IApplicationBuilder UseSessionCsrf(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.User.Identity is { IsAuthenticated: true, AuthenticationType: SessionCookie.Scheme }
            && !SessionCookie.IsSafe(http.Request.Method)
            && http.GetEndpoint()?.Metadata.GetMetadata<SessionCsrfExempt>() is null)
        {
            // Without the header, refuse before antiforgery would look for the token in a form body.
            if (http.Request.Headers[SessionCookie.CsrfHeader].Count == 0)
            {
                throw new RequestException(StatusCodes.Status403Forbidden,
                    $"A request carried by the dashboard's session cookie must send the {SessionCookie.CsrfHeader} header that GET /api/v1/session answers as csrfToken (or use a bearer token).",
                    SessionCookie.CsrfHeader);
            }
            if (!await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http))
            {
                throw new RequestException(StatusCodes.Status403Forbidden,
                    $"The {SessionCookie.CsrfHeader} header does not match this session: read csrfToken again from GET /api/v1/session.",
                    SessionCookie.CsrfHeader);
            }
        }
        await next(http);
    });
}
