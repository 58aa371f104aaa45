using System.Security.Claims;
using System.Text.Encodings.Web;
using Gantry.Core.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gantry.Server.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;token&gt;</c> against the stored token hashes: the CLI,
/// the SDK and scripts. The dashboard signs in once with a token and is then carried by its session
/// cookie (<see cref="SessionCookie"/>); a request with an Authorization header is never read as a session.
/// </summary>
public sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    TokenCache tokens,
    TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    /// <summary>The claim holding the public id of the user's token that authenticated the request.</summary>
    public const string TokenIdClaim = "gantry:token";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("The Authorization header must be 'Bearer <token>'.");
        }
        var token = header["Bearer ".Length..].Trim();
        if (ApiToken.IsJobToken(token))
        {
            return await AuthenticateJobAsync(token);
        }
        return await AuthenticateUserAsync(token, "The token is not valid.");
    }

    private async Task<AuthenticateResult> AuthenticateUserAsync(string token, string invalid)
    {
        var owner = await tokens.FindUserAsync(token, Context.RequestAborted);
        if (owner is null)
        {
            return AuthenticateResult.Fail(invalid);
        }
        if (owner.Token.IsExpired(time.GetUtcNow()))
        {
            return AuthenticateResult.Fail(new TokenExpiredException());
        }
        await tokens.RecordUseAsync(owner.Token, Context.RequestAborted);
        return AuthenticateResult.Success(new AuthenticationTicket(UserPrincipal.For(owner, SchemeName), SchemeName));
    }

    /// <summary>A job's token is good for one thing only: POST /api/v1/jobs/{its id}/metrics.</summary>
    private async Task<AuthenticateResult> AuthenticateJobAsync(string token)
    {
        var jobId = await tokens.FindJobAsync(token, Context.RequestAborted);
        if (jobId is null)
        {
            return AuthenticateResult.Fail("The job token is not valid.");
        }
        if (!HttpMethods.IsPost(Request.Method) || Request.Path != $"/api/v1/jobs/{jobId}/metrics")
        {
            return AuthenticateResult.Fail("A job token may only push its own job's metrics.");
        }
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, $"job:{jobId}"), new Claim(Caller.JobClaim, jobId)],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        if ((await HandleAuthenticateOnceSafeAsync()).Failure is TokenExpiredException)
        {
            // Saying it expired tells the holder what to do; it says nothing about whose it was.
            await WriteProblemAsync(StatusCodes.Status401Unauthorized, "Unauthorized",
                "The token expired. Ask for a new one: `gantry tokens create` (or an admin, with `--user NAME`).");
            return;
        }
        await WriteProblemAsync(StatusCodes.Status401Unauthorized, "Unauthorized",
            "Send a valid token as 'Authorization: Bearer <token>'. `gantry serve` prints the admin token; an admin creates others with `gantry tokens create --user NAME`.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status403Forbidden, "Forbidden", "This needs an admin token.");

    private Task WriteProblemAsync(int status, string title, string detail)
    {
        Response.StatusCode = status;
        return Results.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail }).ExecuteAsync(Context);
    }
}
