using System.Net.Http.Headers;
using Gantry.Server.Auth;
using Gantry.Server.Options;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Gantry.Server.Api;

/// <summary>
/// <c>/api/v1/session</c>: POST trades the bearer token for the <see cref="SessionCookie"/> a
/// browser needs to open Spark UIs (204); DELETE clears it (204, no token needed). The dashboard
/// calls POST at sign-in and DELETE at sign-out.
/// </summary>
public static class SessionApi
{
    public static RouteGroupBuilder MapSessionApi(this RouteGroupBuilder api)
    {
        api.MapPost("/session", Create).WithTags("Session").WithName("CreateSession")
            .WithSummary("Sets an HttpOnly, SameSite=Strict cookie holding the bearer token; it authenticates only GET/HEAD of /api/v1/jobs/{id}/spark-ui/.");
        api.MapDelete("/session", Delete).WithTags("Session").WithName("DeleteSession")
            .WithSummary("Clears the session cookie.")
            .AllowAnonymous();
        return api;
    }

    private static NoContent Create(HttpContext http, IOptions<GantryOptions> options)
    {
        // Authenticated by the Authorization header (the cookie never authenticates a POST), so it holds a user's token.
        if (!AuthenticationHeaderValue.TryParse(http.Request.Headers.Authorization.ToString(), out var header) || header.Parameter is not { Length: > 0 } token)
        {
            throw new RequestException(StatusCodes.Status401Unauthorized, "POST /api/v1/session takes the token as 'Authorization: Bearer <token>'.");
        }
        http.Response.Cookies.Append(SessionCookie.Name, token, SessionCookie.Options(Secure(http, options.Value)));
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.NoContent();
    }

    private static NoContent Delete(HttpContext http, IOptions<GantryOptions> options)
    {
        http.Response.Cookies.Delete(SessionCookie.Name, SessionCookie.Options(Secure(http, options.Value)));
        return TypedResults.NoContent();
    }

    private static bool Secure(HttpContext http, GantryOptions options) =>
        http.Request.IsHttps || options.PublicUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
}
