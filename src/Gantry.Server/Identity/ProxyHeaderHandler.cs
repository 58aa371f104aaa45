using System.Text.Encodings.Web;
using Gantry.Server.Options;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gantry.Server.Identity;

/// <summary>
/// Behind Kubeflow's gateway: the user is the <c>kubeflow-userid</c> header (groups from
/// <c>kubeflow-groups</c>, comma-separated), which the mesh sets after checking the login and
/// overwrites whatever the client sent. Believed only from the trusted proxies; from anyone else
/// the header is ignored, as if absent (the request then needs a token like any other).
/// </summary>
public sealed partial class ProxyHeaderHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    TrustedProxies proxies,
    UserDirectory directory,
    IOptions<GantryOptions> options)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    public const string SchemeName = "ProxyHeader";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!proxies.Carries(Request))
        {
            return AuthenticateResult.NoResult();
        }
        if (!proxies.Trusts(Context))
        {
            LogUntrusted(Logger, proxies.Options.UserHeader, Context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            return AuthenticateResult.NoResult();
        }
        var values = Request.Headers[proxies.Options.UserHeader];
        if (values.Count != 1)
        {
            // KFP too requires exactly one value: two mean someone added one on the way.
            return AuthenticateResult.Fail($"The {proxies.Options.UserHeader} header must have exactly one value.");
        }
        var raw = values[0] ?? "";
        var prefix = proxies.Options.UserPrefix;
        if (prefix.Length > 0 && !raw.StartsWith(prefix, StringComparison.Ordinal))
        {
            return AuthenticateResult.Fail($"The {proxies.Options.UserHeader} header lacks the prefix '{prefix}'.");
        }
        if (UserDirectory.NameFrom(raw[prefix.Length..]) is not { } name)
        {
            return AuthenticateResult.Fail($"The {proxies.Options.UserHeader} header's value cannot be a Gantry user name: it {Core.Users.UserRules.NameRule}.");
        }
        var groups = Request.Headers[proxies.Options.GroupsHeader]
            .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToList();
        var user = await directory.EnsureAsync(name, Context.RequestAborted);
        var adminGroup = options.Value.Identity.AdminGroup;
        var admin = adminGroup.Length > 0 && groups.Contains(adminGroup, StringComparer.Ordinal);
        return AuthenticateResult.Success(new AuthenticationTicket(
            IdentityPrincipal.For(user, admin, groups, $"proxy:{Context.Connection.RemoteIpAddress}", SchemeName), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        await AuthProblem.UnauthorizedAsync(Context, result.Failure?.Message
            ?? $"The {proxies.Options.UserHeader} header is believed only from a trusted proxy (Gantry:Identity:Proxy:TrustedProxies); send a token as 'Authorization: Bearer <token>'.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        AuthProblem.WriteAsync(Context, 403, "Forbidden", "This needs an admin.");

    [LoggerMessage(1807, LogLevel.Information, "Ignored a {Header} header from {Address}, which is not a trusted proxy")]
    private static partial void LogUntrusted(ILogger logger, string header, string address);
}
