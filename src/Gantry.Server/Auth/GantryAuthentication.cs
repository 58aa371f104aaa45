using Gantry.Server.Identity;
using Gantry.Server.Options;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gantry.Server.Auth;

/// <summary>
/// How callers are known: Gantry's bearer tokens (CLI, SDK, scripts), the dashboard's session cookie,
/// and identity providers (docs/identity.md): service-account tokens of the registered clusters,
/// OIDC tokens, Kubeflow's gateway header. <see cref="SchemeSelector"/> picks one per request.
/// </summary>
public static class GantryAuthentication
{
    public static IServiceCollection AddGantryAuthentication(this IServiceCollection services, GantryOptions options)
    {
        // Secure when the request came over https, and always when the public URL is https (TLS
        // ended at an ingress, the request reaching Kestrel over http).
        var secure = options.PublicUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            ? CookieSecurePolicy.Always
            : CookieSecurePolicy.SameAsRequest;
        services.AddSingleton<SessionEvents>();
        services.AddSingleton<UserDirectory>();
        services.AddSingleton<ReviewCache>();
        services.AddSingleton<ClusterIssuers>();
        services.AddSingleton<ServiceAccountReviewer>();
        services.AddSingleton<ServiceAccountUsers>();
        services.AddSingleton(new TrustedProxies(options.Identity.Proxy));
        services.AddSingleton<Replication.ForwardedCallers>();
        var authentication = services.AddAuthentication(SessionCookie.PolicyScheme)
            .AddPolicyScheme(SessionCookie.PolicyScheme, "Bearer token, identity provider or dashboard session", policy =>
                policy.ForwardDefaultSelector = SchemeSelector.Select)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, ServiceAccountTokenHandler>(ServiceAccountTokenHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, ProxyHeaderHandler>(ProxyHeaderHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, Replication.ForwardedCallerHandler>(Replication.ForwardedCallerHandler.SchemeName, null);
        if (options.Identity.Oidc.Authority.Length > 0)
        {
            authentication.AddGantryOidc(options.Identity.Oidc);
        }
        authentication
            .AddCookie(SessionCookie.Scheme, cookie =>
            {
                cookie.Cookie.Name = SessionCookie.Name;
                cookie.Cookie.Path = SessionCookie.Path;
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.Cookie.SecurePolicy = secure;
                cookie.Cookie.IsEssential = true;
                cookie.ExpireTimeSpan = TimeSpan.FromHours(options.Tokens.SessionHours);
                // A fixed end: a session in daily use still signs in again after SessionHours.
                cookie.SlidingExpiration = false;
                cookie.EventsType = typeof(SessionEvents);
            });
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.HeaderName = SessionCookie.CsrfHeader;
            antiforgery.Cookie.Name = SessionCookie.CsrfCookie;
            antiforgery.Cookie.Path = SessionCookie.Path;
            antiforgery.Cookie.HttpOnly = true;
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.SecurePolicy = secure;
            // The security headers say DENY already.
            antiforgery.SuppressXFrameOptionsHeader = true;
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(GantryPolicies.Admin, policy => policy.RequireAuthenticatedUser().RequireRole(nameof(Core.Users.Role.Admin)));
        return services;
    }
}
