using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Gantry.Sandbox.Auth;

/// <summary>The bearer tokens a sandbox accepts: its admin token and the service-account tokens it issued.</summary>
internal sealed class TokenRegistry(string adminToken)
{
    private readonly ConcurrentDictionary<string, (RequestUser User, DateTimeOffset Expires)> _issued = new(StringComparer.Ordinal);

    public string AdminToken => adminToken;

    /// <summary>A new token for a service account, valid until <paramref name="expires"/>.</summary>
    public string Issue(string ns, string serviceAccount, DateTimeOffset expires)
    {
        var token = "sbx-sa." + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
        _issued[token] = (RequestUser.ServiceAccount(ns, serviceAccount), expires);
        return token;
    }

    public RequestUser? Authenticate(string? token, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }
        if (CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(token), System.Text.Encoding.UTF8.GetBytes(adminToken)))
        {
            return RequestUser.Admin;
        }
        return _issued.TryGetValue(token, out var issued) && issued.Expires > now ? issued.User : null;
    }

    /// <summary>Tokens of a deleted service account stop working, as bound tokens do.</summary>
    public void Revoke(string ns, string serviceAccount)
    {
        var user = RequestUser.ServiceAccount(ns, serviceAccount).Name;
        foreach (var (token, issued) in _issued)
        {
            if (issued.User.Name == user)
            {
                _issued.TryRemove(token, out _);
            }
        }
    }
}
