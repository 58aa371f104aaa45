using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Gantry.Sandbox.Store;

namespace Gantry.Sandbox.Auth;

/// <summary>
/// The bearer tokens a sandbox accepts: its admin token, and service-account tokens, which are
/// signed JWTs (<see cref="ServiceAccountIssuer"/>) as a real cluster's are. Nothing about an issued
/// token is remembered: a token is checked by its signature, its expiry, its audiences, and whether
/// its service account (and the object it is bound to) still exists with the uid it names, which is
/// how deleting a service account or a pod revokes its tokens in kube-apiserver too.
/// </summary>
internal sealed class TokenRegistry(string adminToken, ServiceAccountIssuer issuer, ObjectStore store)
{
    /// <summary>The API server's own audience: what a TokenRequest without audiences gets, and what API requests need.</summary>
    public const string ApiAudience = "https://kubernetes.default.svc";

    private const string PodNameExtra = "authentication.kubernetes.io/pod-name";
    private const string PodUidExtra = "authentication.kubernetes.io/pod-uid";
    private const string CredentialIdExtra = "authentication.kubernetes.io/credential-id";

    public string AdminToken => adminToken;

    public ServiceAccountIssuer Issuer => issuer;

    /// <summary>A signed token for <paramref name="account"/>, for <paramref name="audiences"/>, valid until <paramref name="expires"/>.</summary>
    public string Issue(JsonObject account, IReadOnlyList<string> audiences, DateTimeOffset now, DateTimeOffset expires, JsonObject? boundTo)
    {
        var kubernetes = new JsonObject
        {
            ["namespace"] = account.Namespace(),
            ["serviceaccount"] = new JsonObject { ["name"] = account.Name(), ["uid"] = account.Uid() },
        };
        if (boundTo is not null)
        {
            var kind = ObjectMeta.Text(boundTo["kind"]) ?? "";
            kubernetes[kind.ToLowerInvariant()] = new JsonObject { ["name"] = boundTo.Name(), ["uid"] = boundTo.Uid() };
        }
        var claims = new JsonObject
        {
            ["aud"] = new JsonArray([.. audiences.Select(a => (JsonNode)JsonValue.Create(a))]),
            ["exp"] = expires.ToUnixTimeSeconds(),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["iss"] = issuer.Issuer,
            ["jti"] = Guid.NewGuid().ToString(),
            ["kubernetes.io"] = kubernetes,
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["sub"] = $"system:serviceaccount:{account.Namespace()}:{account.Name()}",
        };
        return issuer.Sign(claims);
    }

    /// <summary>The caller of an API request: the admin, or a service account whose token names the API server's audience.</summary>
    public RequestUser? Authenticate(string? token, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }
        if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(adminToken)))
        {
            return RequestUser.Admin;
        }
        return Review(token, [], now).User;
    }

    /// <summary>
    /// A TokenReview: whether the token is good for one of <paramref name="audiences"/> (none: the API
    /// server's own), answered with the audiences it is good for. The error texts follow kube-apiserver's.
    /// </summary>
    public TokenReviewResult Review(string token, IReadOnlyList<string> audiences, DateTimeOffset now)
    {
        IReadOnlyList<string> wanted = audiences.Count > 0 ? audiences : [ApiAudience];
        if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(adminToken)))
        {
            // A static token has no audience of its own: it is good for whatever the API server serves.
            return wanted.Contains(ApiAudience) ? new TokenReviewResult(RequestUser.Admin, [ApiAudience], "") : TokenReviewResult.Refused("[invalid bearer token, token lookup failed]");
        }
        if (issuer.Verify(token) is not { } claims)
        {
            return TokenReviewResult.Refused("[invalid bearer token, square/go-jose: error in cryptographic primitive, token lookup failed]");
        }
        var exp = claims["exp"]?.GetValue<long>() ?? 0;
        var nbf = claims["nbf"]?.GetValue<long>() ?? 0;
        if (now.ToUnixTimeSeconds() >= exp)
        {
            return TokenReviewResult.Refused("[invalid bearer token, service account token has expired]");
        }
        if (now.ToUnixTimeSeconds() < nbf)
        {
            return TokenReviewResult.Refused("[invalid bearer token, service account token is not valid yet]");
        }
        var tokenAudiences = (claims["aud"] as JsonArray ?? []).Select(a => ObjectMeta.Text(a) ?? "").ToList();
        var matching = tokenAudiences.Intersect(wanted, StringComparer.Ordinal).ToList();
        if (matching.Count == 0)
        {
            return TokenReviewResult.Refused(
                $"[invalid bearer token, token audiences [{Quoted(tokenAudiences)}] is invalid for the target audiences [{Quoted(wanted)}]]");
        }
        var kubernetes = claims["kubernetes.io"] as JsonObject ?? [];
        var ns = ObjectMeta.Text(kubernetes["namespace"]) ?? "";
        var name = ObjectMeta.Text(kubernetes["serviceaccount"]?["name"]) ?? "";
        var uid = ObjectMeta.Text(kubernetes["serviceaccount"]?["uid"]) ?? "";
        if (Problem(BuiltInTypes.ServiceAccounts, ns, name, uid) is { } accountProblem)
        {
            return TokenReviewResult.Refused($"[invalid bearer token, {accountProblem}]");
        }
        var extra = new Dictionary<string, string>(StringComparer.Ordinal) { [CredentialIdExtra] = "JTI=" + ObjectMeta.Text(claims["jti"]) };
        if (kubernetes["pod"] is JsonObject pod)
        {
            var podName = ObjectMeta.Text(pod["name"]) ?? "";
            var podUid = ObjectMeta.Text(pod["uid"]) ?? "";
            if (Problem(BuiltInTypes.Pods, ns, podName, podUid) is { } podProblem)
            {
                return TokenReviewResult.Refused($"[invalid bearer token, {podProblem}]");
            }
            extra[PodNameExtra] = podName;
            extra[PodUidExtra] = podUid;
        }
        if (kubernetes["secret"] is JsonObject secret
            && Problem(BuiltInTypes.Secrets, ns, ObjectMeta.Text(secret["name"]) ?? "", ObjectMeta.Text(secret["uid"]) ?? "") is { } secretProblem)
        {
            return TokenReviewResult.Refused($"[invalid bearer token, {secretProblem}]");
        }
        return new TokenReviewResult(RequestUser.ServiceAccount(ns, name), matching, "") { Uid = uid, Extra = extra };
    }

    /// <summary>Why the object a token names no longer stands behind it, or null.</summary>
    private string? Problem(ResourceType type, string ns, string name, string uid)
    {
        var found = store.Get(ObjectKey.For(type, ns, name));
        if (found is null)
        {
            return $"{type.Plural} \"{name}\" not found";
        }
        return found.Uid() == uid ? null : $"{type.Kind} UID ({found.Uid()}) does not match claim ({uid})";
    }

    private static string Quoted(IEnumerable<string> values) => string.Join(" ", values.Select(v => $"\"{v}\""));
}
