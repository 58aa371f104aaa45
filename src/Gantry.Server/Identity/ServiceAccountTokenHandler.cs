using System.Text.Encodings.Web;
using Gantry.Server.Options;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gantry.Server.Identity;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;service-account JWT&gt;</c>: a projected token with
/// audience <c>gantry</c> from a pod of a registered cluster (a Kubeflow notebook). The token's
/// unverified <c>iss</c> only picks the clusters to ask; the cluster's TokenReview decides, and
/// <see cref="ServiceAccountUsers"/> says whose it is. Answers are cached for CacheSeconds, never
/// past the token's own expiry.
/// </summary>
public sealed partial class ServiceAccountTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ServiceAccountReviewer reviewer,
    ServiceAccountUsers users,
    UserDirectory directory,
    ReviewCache cache,
    IOptions<GantryOptions> options,
    TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    public const string SchemeName = "KubernetesServiceAccount";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (BearerToken.From(Request) is not { } token || UnverifiedJwt.Issuer(token) is not { } issuer)
        {
            return AuthenticateResult.NoResult();
        }
        var outcome = cache.Find(token);
        if (outcome is null)
        {
            outcome = await CheckAsync(token, issuer, Context.RequestAborted);
            if (outcome.Transient)
            {
                return AuthenticateResult.Fail(outcome.Refusal!);
            }
            var cacheFor = TimeSpan.FromSeconds(options.Value.Identity.Kubernetes.CacheSeconds);
            var until = time.GetUtcNow() + cacheFor;
            if (UnverifiedJwt.Expiry(token) is { } expires && expires < until)
            {
                until = expires;
            }
            cache.Remember(token, outcome, until);
        }
        return outcome.Principal is { } principal
            ? AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName))
            : AuthenticateResult.Fail(outcome.Refusal ?? "The token was refused.");
    }

    private async Task<ReviewOutcome> CheckAsync(string token, string issuer, CancellationToken cancellationToken)
    {
        var (account, refusal, transient) = await reviewer.ReviewAsync(token, issuer, cancellationToken);
        if (account is null)
        {
            LogRefused(Logger, refusal!);
            return ReviewOutcome.Refused(refusal!, transient);
        }
        var (name, unmapped) = await users.UserOfAsync(account, cancellationToken);
        if (name is null)
        {
            LogUnmapped(Logger, account.ToString());
            return ReviewOutcome.Refused(unmapped!);
        }
        var user = await directory.EnsureAsync(name, cancellationToken);
        LogAccepted(Logger, account.ToString(), user.Name);
        return new ReviewOutcome(IdentityPrincipal.For(user, admin: false, account.Groups, $"kubernetes:{account}", SchemeName), null);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure;
        await AuthProblem.UnauthorizedAsync(Context, failure?.Message ?? "Send a service-account token with audience 'gantry' as 'Authorization: Bearer <token>'.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        AuthProblem.WriteAsync(Context, 403, "Forbidden", "This needs an admin.");

    [LoggerMessage(1802, LogLevel.Information, "A service-account token was refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);

    [LoggerMessage(1803, LogLevel.Information, "Service account {Account} is no Gantry user's; refused")]
    private static partial void LogUnmapped(ILogger logger, string account);

    [LoggerMessage(1804, LogLevel.Debug, "Service account {Account} signed in as {User}")]
    private static partial void LogAccepted(ILogger logger, string account, string user);
}
