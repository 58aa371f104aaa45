using Gantry.Server.Options;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gantry.Server.Auth;

/// <summary>How callers are known: a bearer token (CLI, SDK, scripts) or the dashboard's session cookie.</summary>
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
        services.AddAuthentication(SessionCookie.PolicyScheme)
            .AddPolicyScheme(SessionCookie.PolicyScheme, "Bearer token or dashboard session", policy =>
                policy.ForwardDefaultSelector = SessionCookie.SelectScheme)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null)
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
