using Gantry.Server.Options;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace Gantry.Server.Identity;

/// <summary>
/// OIDC bearer tokens through ASP.NET Core's JwtBearer handler: discovery and JWKS from the
/// Authority, issuer, audience, lifetime and signature checked there; then the user named by the
/// UserClaim (lower-cased, created at first sight) and their groups (<see cref="OidcUsers"/>).
/// </summary>
public static class OidcSignIn
{
    public const string SchemeName = "Oidc";

    public static AuthenticationBuilder AddGantryOidc(this AuthenticationBuilder builder, OidcOptions oidc)
    {
        builder.Services.AddSingleton<OidcUsers>();
        return builder.AddJwtBearer(SchemeName, jwt =>
        {
            jwt.Authority = oidc.Authority;
            jwt.Audience = oidc.Audience;
            jwt.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
            // Claims as the issuer named them (email, groups), not mapped to WS-* URIs.
            jwt.MapInboundClaims = false;
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                NameClaimType = oidc.UserClaim,
                ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512, SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384],
                ClockSkew = TimeSpan.FromSeconds(30),
            };
            jwt.Events = new JwtBearerEvents
            {
                OnTokenValidated = context => context.HttpContext.RequestServices.GetRequiredService<OidcUsers>().SignInAsync(context),
                OnChallenge = async context =>
                {
                    context.HandleResponse();
                    await AuthProblem.UnauthorizedAsync(context.HttpContext, OidcUsers.Why(context.AuthenticateFailure));
                },
                OnForbidden = context => AuthProblem.WriteAsync(context.HttpContext, 403, "Forbidden", "This needs an admin."),
            };
        });
    }
}
