using System.Net;

namespace Gantry.Server.Options;

/// <summary>The <c>Gantry:Identity</c> checks, each message naming its key.</summary>
internal static class IdentityOptionsValidator
{
    public static void Validate(IdentityOptions options, List<string> failures)
    {
        var kubernetes = options.Kubernetes;
        if (kubernetes.Enabled && string.IsNullOrWhiteSpace(kubernetes.Audience))
        {
            failures.Add("Gantry:Identity:Kubernetes:Audience must be set (the projected token's audience, e.g. gantry), or set Gantry:Identity:Kubernetes:Enabled=false.");
        }
        if (kubernetes.CacheSeconds is < 0 or > 3600)
        {
            failures.Add("Gantry:Identity:Kubernetes:CacheSeconds must be between 0 and 3600.");
        }
        if (kubernetes.IssuerRefreshSeconds is < 1 or > 86_400)
        {
            failures.Add("Gantry:Identity:Kubernetes:IssuerRefreshSeconds must be between 1 and 86400.");
        }
        foreach (var (key, user) in kubernetes.Users)
        {
            if (!Core.Users.UserRules.IsValidName(user))
            {
                failures.Add($"Gantry:Identity:Kubernetes:Users:{key}: '{user}' {Core.Users.UserRules.NameRule}.");
            }
        }
        foreach (var (cluster, issuer) in kubernetes.Issuers)
        {
            if (!Uri.TryCreate(issuer, UriKind.Absolute, out _))
            {
                failures.Add($"Gantry:Identity:Kubernetes:Issuers:{cluster}: '{issuer}' must be the cluster's issuer URL (its tokens' iss).");
            }
        }
        ValidateOidc(options.Oidc, failures);
        foreach (var proxy in options.Proxy.TrustedProxies)
        {
            if (!IPNetwork.TryParse(proxy, out _) && !IPAddress.TryParse(proxy, out _))
            {
                failures.Add($"Gantry:Identity:Proxy:TrustedProxies: '{proxy}' must be an address (10.0.0.7) or a CIDR range (10.0.0.0/8).");
            }
        }
        if (options.Proxy.TrustedProxies.Length > 0 && string.IsNullOrWhiteSpace(options.Proxy.UserHeader))
        {
            failures.Add("Gantry:Identity:Proxy:UserHeader must be set when Gantry:Identity:Proxy:TrustedProxies is (Kubeflow: kubeflow-userid).");
        }
    }

    private static void ValidateOidc(OidcOptions oidc, List<string> failures)
    {
        if (oidc.Authority.Length == 0)
        {
            return;
        }
        if (!Uri.TryCreate(oidc.Authority, UriKind.Absolute, out var authority) || authority.Scheme is not ("http" or "https"))
        {
            failures.Add($"Gantry:Identity:Oidc:Authority '{oidc.Authority}' must be the issuer's URL, such as https://dex.example.com/dex.");
        }
        else if (authority.Scheme == "http" && oidc.RequireHttpsMetadata)
        {
            failures.Add($"Gantry:Identity:Oidc:Authority '{oidc.Authority}' is http: use https, or set Gantry:Identity:Oidc:RequireHttpsMetadata=false (tests and demos only).");
        }
        if (string.IsNullOrWhiteSpace(oidc.Audience))
        {
            failures.Add("Gantry:Identity:Oidc:Audience must be set when Gantry:Identity:Oidc:Authority is (Dex: the client id the tokens are issued to).");
        }
        if (string.IsNullOrWhiteSpace(oidc.UserClaim))
        {
            failures.Add("Gantry:Identity:Oidc:UserClaim must name a claim (default email).");
        }
    }
}
