namespace Gantry.Server.Options;

/// <summary>
/// <c>Gantry:Identity</c>: who a caller is when they bring no Gantry token: a Kubernetes
/// service-account token, an OIDC token, or Kubeflow's gateway header (docs/identity.md).
/// Gantry's own bearer tokens work whatever is set here.
/// </summary>
public sealed class IdentityOptions
{
    /// <summary>Members of this group (OIDC groups claim, or the trusted groups header) are admins while they are members. Empty: none.</summary>
    public string AdminGroup { get; set; } = "";

    public KubernetesIdentityOptions Kubernetes { get; set; } = new();
    public OidcOptions Oidc { get; set; } = new();
    public ProxyHeaderOptions Proxy { get; set; } = new();
}

/// <summary><c>Gantry:Identity:Kubernetes</c>: service-account tokens from the registered clusters, checked by TokenReview.</summary>
public sealed class KubernetesIdentityOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>The audience the token must be for (the projected volume's <c>audience</c>).</summary>
    public string Audience { get; set; } = "gantry";

    /// <summary>How long a review's answer is reused for the same token (never past the token's expiry).</summary>
    public int CacheSeconds { get; set; } = 60;

    /// <summary>How often, at most, the clusters' issuers are discovered again when a token names an unknown one.</summary>
    public int IssuerRefreshSeconds { get; set; } = 60;

    /// <summary>
    /// Who a service account is, by key: <c>system:serviceaccount:NS:NAME</c>, <c>CLUSTER/NS</c> or
    /// <c>NS</c> (first match wins, in that order), mapped to a Gantry user name. Without a mapping
    /// the namespace's user is the one the cluster is shared with in it (<c>gantry clusters share</c>),
    /// else the Kubeflow Profile owner (the namespace's <c>owner</c> annotation) when <see cref="ProfileOwners"/>.
    /// </summary>
    public Dictionary<string, string> Users { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Read a Kubeflow Profile namespace's <c>owner</c> annotation when no mapping or share names the user.</summary>
    public bool ProfileOwners { get; set; } = true;

    /// <summary>A cluster's issuer by cluster name, for a cluster whose <c>/.well-known/openid-configuration</c> Gantry cannot read.</summary>
    public Dictionary<string, string> Issuers { get; set; } = new(StringComparer.Ordinal);
}

/// <summary><c>Gantry:Identity:Oidc</c>: JWTs of an OpenID Connect issuer (Dex, Keycloak, a cloud IdP).</summary>
public sealed class OidcOptions
{
    /// <summary>The issuer URL (discovery at <c>{Authority}/.well-known/openid-configuration</c>). Empty: OIDC is off.</summary>
    public string Authority { get; set; } = "";

    /// <summary>The <c>aud</c> the tokens must carry (Dex: the client id).</summary>
    public string Audience { get; set; } = "";

    /// <summary>The claim holding the Gantry user name; lower-cased.</summary>
    public string UserClaim { get; set; } = "email";

    public string GroupsClaim { get; set; } = "groups";

    /// <summary>Only for an issuer on loopback in tests and demos: discovery over plain http.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;
}

/// <summary><c>Gantry:Identity:Proxy</c>: a user header set by a trusted gateway (Kubeflow's Istio ingress).</summary>
public sealed class ProxyHeaderOptions
{
    /// <summary>Addresses or CIDR ranges of the proxies whose header is believed. Empty: the header is never read.</summary>
    public string[] TrustedProxies { get; set; } = [];

    public string UserHeader { get; set; } = "kubeflow-userid";

    public string GroupsHeader { get; set; } = "kubeflow-groups";

    /// <summary>Stripped from the header's value (KFP's <c>accounts.google.com:</c> on GKE IAP; empty on Kubeflow).</summary>
    public string UserPrefix { get; set; } = "";
}
