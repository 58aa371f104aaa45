using Gantry.Core.Audit;
using Gantry.Core.Users;
using Gantry.Server.Audit;
using Gantry.Server.Auth;
using Gantry.Server.Options;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Gantry.Server.Api;

/// <summary>
/// <c>/api/v1/session</c>, the dashboard's sign-in (<see cref="SessionCookie"/>): POST
/// <c>{"token"}</c> checks the token and sets the session cookie; GET answers who is signed in and
/// the CSRF token for unsafe calls (204 when no one is); DELETE signs out. Bearer callers need none of it.
/// </summary>
public static class SessionApi
{
    public static RouteGroupBuilder MapSessionApi(this RouteGroupBuilder api)
    {
        var session = api.MapGroup("/session").WithTags("Session").AllowAnonymous();
        session.MapPost("/", SignInAsync).WithName("CreateSession").WithMetadata(new SessionCsrfExempt())
            .WithSummary("Dashboard sign-in: {token}; sets the HttpOnly, SameSite=Strict session cookie and answers {user, tokenId, expiresAt, csrfToken}. From the dashboard's own origin only, as JSON.")
            .Accepts<SessionRequest>("application/json").Produces<SessionDto>()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        session.MapGet("/", GetAsync).WithName("GetSession")
            .WithSummary("Who is signed in: {user, tokenId, expiresAt, csrfToken}; 204 without a session. The csrfToken goes in X-CSRF-Token on unsafe calls the cookie carries.")
            .Produces<SessionDto>().Produces(StatusCodes.Status204NoContent);
        session.MapDelete("/", SignOutAsync).WithName("DeleteSession")
            .WithSummary("Sign out: clears the session cookie (204, also without a session). Carried by the cookie it needs X-CSRF-Token.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status403Forbidden);
        return api;
    }

    private static async Task<Ok<SessionDto>> SignInAsync(
        HttpContext http, TokenCache tokens, IAntiforgery antiforgery, AuditTrail audit, TimeProvider time, IOptions<GantryOptions> options,
        CancellationToken cancellationToken)
    {
        var request = http.Request;
        // Another origin (a Spark UI's script, on the same site) must not sign the viewer in as someone else.
        if (!SessionCookie.FromOwnOrigin(request))
        {
            throw new RequestException(StatusCodes.Status403Forbidden, "Sign in from the dashboard's own origin.", "Sec-Fetch-Site");
        }
        // JSON only: a page of another origin can send that only after a CORS preflight, which the gateway never allows.
        if (request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
        {
            throw new RequestException(StatusCodes.Status415UnsupportedMediaType, $"'{request.ContentType}' is not accepted here; send application/json: {{\"token\": \"gty_...\"}}", "Content-Type");
        }
        var limits = options.Value.Limits;
        var token = SessionRequestReader.Read(await RequestBody.ReadAsync(request, limits.MaxBodyBytes, cancellationToken), limits.Document);
        if (ApiToken.IsJobToken(token))
        {
            throw new RequestException(StatusCodes.Status422UnprocessableEntity, "A job's token cannot sign in; use a user's token.", "token");
        }
        var owner = await tokens.FindUserAsync(token, cancellationToken)
            ?? throw new RequestException(StatusCodes.Status401Unauthorized, "The gateway does not know this token.", "token");
        var now = time.GetUtcNow();
        if (owner.Token.IsExpired(now))
        {
            throw new RequestException(StatusCodes.Status401Unauthorized, "The token expired. Ask for a new one: `gantry tokens create`.", "token");
        }
        await tokens.RecordUseAsync(owner.Token, cancellationToken);

        var ends = now + TimeSpan.FromHours(options.Value.Tokens.SessionHours);
        if (owner.Token.ExpiresAt is { } expires && expires < ends)
        {
            ends = expires;
        }
        var principal = UserPrincipal.For(owner, SessionCookie.Scheme);
        await http.SignInAsync(SessionCookie.Scheme, principal, new AuthenticationProperties
        {
            IsPersistent = false,
            IssuedUtc = now,
            ExpiresUtc = ends,
            AllowRefresh = false,
        });
        // The antiforgery token is bound to the user this request now stands for.
        http.User = principal;
        var csrf = antiforgery.GetAndStoreTokens(http).RequestToken;
        await audit.RecordAsync(principal, AuditActions.SessionCreate, owner.Token.Id, $"dashboard sign-in, until {ends:u}");
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new SessionDto(UserDto.From(Caller.From(principal)), owner.Token.Id, ends, csrf));
    }

    private static IResult GetAsync(HttpContext http, IAntiforgery antiforgery)
    {
        if (http.User.Identity?.IsAuthenticated != true)
        {
            // A bearer token that did not authenticate is a 401, as anywhere else; no session at all is no error.
            return http.Request.Headers.Authorization.Count > 0 ? Results.Challenge() : TypedResults.NoContent();
        }
        var caller = Caller.From(http.User);
        var tokenId = http.User.FindFirst(BearerTokenHandler.TokenIdClaim)?.Value ?? "";
        var session = http.User.Identity.AuthenticationType == SessionCookie.Scheme;
        var ends = http.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult?.Properties?.ExpiresUtc;
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new SessionDto(UserDto.From(caller), tokenId, ends, session ? antiforgery.GetAndStoreTokens(http).RequestToken : null));
    }

    private static async Task<NoContent> SignOutAsync(HttpContext http, AuditTrail audit)
    {
        var principal = http.User;
        await http.SignOutAsync(SessionCookie.Scheme);
        http.Response.Cookies.Delete(SessionCookie.CsrfCookie, new CookieOptions { Path = SessionCookie.Path });
        if (principal.Identity is { IsAuthenticated: true, AuthenticationType: SessionCookie.Scheme })
        {
            await audit.RecordAsync(principal, AuditActions.SessionDelete, principal.FindFirst(BearerTokenHandler.TokenIdClaim)?.Value ?? "", "dashboard sign-out");
        }
        return TypedResults.NoContent();
    }
}
