using Gantry.Server.Options;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Gantry.Server.Identity;

/// <summary>Turns a validated OIDC token into a Gantry caller: the user its UserClaim names, its groups, admin while in AdminGroup.</summary>
public sealed partial class OidcUsers(UserDirectory directory, IOptions<GantryOptions> options, ILogger<OidcUsers> logger)
{
    public async Task SignInAsync(TokenValidatedContext context)
    {
        var settings = options.Value.Identity;
        var principal = context.Principal!;
        var claimed = principal.FindFirst(settings.Oidc.UserClaim)?.Value;
        if (UserDirectory.NameFrom(claimed) is not { } name)
        {
            LogNoUser(settings.Oidc.UserClaim);
            context.Fail(claimed is null
                ? $"The OIDC token has no '{settings.Oidc.UserClaim}' claim to name the user (Gantry:Identity:Oidc:UserClaim)."
                : $"The OIDC token's '{settings.Oidc.UserClaim}' claim cannot be a Gantry user name: it {Core.Users.UserRules.NameRule}.");
            return;
        }
        if (settings.Oidc.UserClaim == "email" && principal.FindFirst("email_verified")?.Value is "false")
        {
            context.Fail("The OIDC token's e-mail address is not verified (email_verified is false).");
            return;
        }
        var groups = principal.FindAll(settings.Oidc.GroupsClaim).Select(c => c.Value).ToList();
        var user = await directory.EnsureAsync(name, context.HttpContext.RequestAborted);
        var admin = settings.AdminGroup.Length > 0 && groups.Contains(settings.AdminGroup, StringComparer.Ordinal);
        context.Principal = IdentityPrincipal.For(user, admin, groups, $"oidc:{principal.FindFirst("iss")?.Value}", OidcSignIn.SchemeName);
        LogSignedIn(user.Name, admin);
    }

    /// <summary>Why a token was refused, in words the caller can act on (the library's own texts are for logs).</summary>
    public static string Why(Exception? failure) => failure switch
    {
        null => "Send an OIDC token (or a Gantry token) as 'Authorization: Bearer <token>'.",
        SecurityTokenExpiredException => "The OIDC token expired; sign in again for a new one.",
        SecurityTokenInvalidAudienceException => "The OIDC token is not for Gantry: its audience is not Gantry:Identity:Oidc:Audience.",
        SecurityTokenInvalidIssuerException => "The OIDC token's issuer is not Gantry:Identity:Oidc:Authority.",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "The OIDC token's signature does not verify with the issuer's published keys.",
        SecurityTokenNotYetValidException => "The OIDC token is not valid yet.",
        SecurityTokenException => "The OIDC token is not valid: " + failure.GetType().Name + ".",
        _ => failure.Message,
    };

    [LoggerMessage(1805, LogLevel.Information, "An OIDC token without a usable {Claim} claim was refused")]
    private partial void LogNoUser(string claim);

    [LoggerMessage(1806, LogLevel.Debug, "{User} signed in with OIDC (admin by group: {Admin})")]
    private partial void LogSignedIn(string user, bool admin);
}
