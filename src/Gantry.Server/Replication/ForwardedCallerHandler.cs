using System.Security.Claims;
using System.Text.Encodings.Web;
using Gantry.Server.Auth;
using Gantry.Server.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gantry.Server.Replication;

/// <summary>
/// The leader's side of <see cref="ForwardedCallers"/>: a request carrying the header is the
/// caller it names, for <c>GET /api/v1/jobs/{id}/explain</c> of the job it names only; anywhere
/// else, or stale, altered or for another job, it is refused with 401 rather than tried as
/// something else.
/// </summary>
public sealed class ForwardedCallerHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ForwardedCallers callers)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    public const string SchemeName = "ForwardedCaller";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var values = Request.Headers[ForwardedCallers.Header];
        if (values.Count == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        if (!HttpMethods.IsGet(Request.Method) || ExplainedJob(Request.Path.Value) is not { } jobId)
        {
            return Task.FromResult(AuthenticateResult.Fail($"The {ForwardedCallers.Header} header is taken for a forwarded explain only."));
        }
        if (values.Count != 1 || callers.Read(values[0], jobId) is not { } caller)
        {
            return Task.FromResult(AuthenticateResult.Fail($"The {ForwardedCallers.Header} header is not valid for this job, or has expired."));
        }
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, caller.Name),
            new(ClaimTypes.Role, caller.Role.ToString()),
            new(IdentityPrincipal.SourceClaim, $"replica:{Context.Connection.RemoteIpAddress}"),
        };
        claims.AddRange(caller.Groups.Select(g => new Claim(Caller.GroupClaim, g)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        await AuthProblem.UnauthorizedAsync(Context, result.Failure?.Message ?? $"The {ForwardedCallers.Header} header is not valid.");
    }

    /// <summary>The job id of <c>/api/v1/jobs/{id}/explain</c>, or null for any other path.</summary>
    private static string? ExplainedJob(string? path)
    {
        var segments = (path ?? "").Split('/');
        return segments is ["", "api", "v1", "jobs", { Length: > 0 } id, "explain"] ? id : null;
    }
}
