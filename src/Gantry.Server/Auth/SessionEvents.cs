using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Gantry.Server.Auth;

/// <summary>
/// The session cookie's checks and answers. Each request reads the token the session was opened
/// with (through <see cref="TokenCache"/>, as a bearer request does): a revoked or expired token, or
/// a deleted user, ends the session there and then, and the user's current role replaces the one the
/// cookie was issued with. Challenges are the API's 401 and 403 problems, never a redirect.
/// </summary>
public sealed class SessionEvents(TokenCache tokens, TimeProvider time) : CookieAuthenticationEvents
{
    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        var tokenId = context.Principal?.FindFirst(BearerTokenHandler.TokenIdClaim)?.Value;
        var owner = tokenId is null ? null : await tokens.FindUserByIdAsync(tokenId, context.HttpContext.RequestAborted);
        if (owner is null || owner.Token.IsExpired(time.GetUtcNow()))
        {
            context.RejectPrincipal();
            // Also tells the browser to drop the cookie.
            await context.HttpContext.SignOutAsync(SessionCookie.Scheme);
            return;
        }
        await tokens.RecordUseAsync(owner.Token, context.HttpContext.RequestAborted);
        context.ReplacePrincipal(UserPrincipal.For(owner, SessionCookie.Scheme));
    }

    public override Task RedirectToLogin(RedirectContext<CookieAuthenticationOptions> context) =>
        WriteProblemAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Unauthorized",
            "The dashboard session has ended (signed out, expired, or its token was revoked or expired). Sign in again.");

    public override Task RedirectToAccessDenied(RedirectContext<CookieAuthenticationOptions> context) =>
        WriteProblemAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Forbidden", "This needs an admin token.");

    public override Task RedirectToLogout(RedirectContext<CookieAuthenticationOptions> context) => Task.CompletedTask;

    public override Task RedirectToReturnUrl(RedirectContext<CookieAuthenticationOptions> context) => Task.CompletedTask;

    private static Task WriteProblemAsync(HttpContext http, int status, string title, string detail)
    {
        http.Response.StatusCode = status;
        return Results.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail }).ExecuteAsync(http);
    }
}
