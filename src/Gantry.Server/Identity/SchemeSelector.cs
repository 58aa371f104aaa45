using Gantry.Core.Users;
using Gantry.Server.Auth;
using Gantry.Server.Options;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gantry.Server.Identity;

/// <summary>
/// Which scheme authenticates a request, by what it carries:
/// <list type="number">
/// <item>a follower's forwarded caller (<see cref="Replication.ForwardedCallers"/>), taken for a forwarded explain only;</item>
/// <item>the user header from a trusted proxy: the gateway checked the login (and may pass the ID token on too);</item>
/// <item>a bearer token shaped as a JWT: OIDC when its issuer is the configured one, else a
/// cluster's service-account token; any other bearer token is Gantry's own;</item>
/// <item>the dashboard's session cookie;</item>
/// <item>the user header from anyone else: ignored, and the 401 says why.</item>
/// </list>
/// Only the choice is made here; the chosen scheme checks everything.
/// </summary>
public static class SchemeSelector
{
    public static string Select(HttpContext http)
    {
        if (http.Request.Headers.ContainsKey(Replication.ForwardedCallers.Header))
        {
            return Replication.ForwardedCallerHandler.SchemeName;
        }
        var proxies = http.RequestServices.GetRequiredService<TrustedProxies>();
        if (proxies.Carries(http.Request) && proxies.Trusts(http))
        {
            return ProxyHeaderHandler.SchemeName;
        }
        if (http.Request.Headers.Authorization.Count > 0)
        {
            return BearerScheme(BearerToken.From(http.Request), http.RequestServices.GetRequiredService<IOptions<GantryOptions>>().Value.Identity);
        }
        if (http.Request.Cookies.ContainsKey(SessionCookie.Name) && SessionCookie.FromOwnOrigin(http.Request))
        {
            return SessionCookie.Scheme;
        }
        return proxies.Carries(http.Request) ? ProxyHeaderHandler.SchemeName : BearerTokenHandler.SchemeName;
    }

    private static string BearerScheme(string? token, IdentityOptions identity)
    {
        if (token is null || token.StartsWith(ApiToken.Prefix, StringComparison.Ordinal) || ApiToken.IsJobToken(token)
            || UnverifiedJwt.Issuer(token) is not { } issuer)
        {
            return BearerTokenHandler.SchemeName;
        }
        var oidc = identity.Oidc.Authority.Length > 0;
        if (oidc && string.Equals(issuer.TrimEnd('/'), identity.Oidc.Authority.TrimEnd('/'), StringComparison.Ordinal))
        {
            return OidcSignIn.SchemeName;
        }
        return identity.Kubernetes.Enabled ? ServiceAccountTokenHandler.SchemeName
            : oidc ? OidcSignIn.SchemeName
            : BearerTokenHandler.SchemeName;
    }
}
