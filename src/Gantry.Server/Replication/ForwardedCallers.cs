using System.Security.Cryptography;
using System.Text.Json;
using Gantry.Core.Users;
using Gantry.Server.Auth;
using Microsoft.AspNetCore.DataProtection;

namespace Gantry.Server.Replication;

/// <summary>
/// A follower's word to the leader about who asked for an explain: the caller as the follower
/// authenticated them (name, role, groups), the one job, and an expiry seconds away, sealed with
/// Data Protection under the key ring only the replicas hold. The leader believes it for that
/// job's explain and nothing else (<see cref="ForwardedCallerHandler"/>). Forwarding this rather
/// than the caller's own credentials works for every way of signing in, a trusted proxy's header
/// included (which the leader could not believe from a follower), and keeps bearer tokens and
/// session cookies off the replica-to-replica hop.
/// </summary>
public sealed class ForwardedCallers(IDataProtectionProvider provider, TimeProvider time)
{
    public const string Header = "X-Gantry-Forwarded-Caller";

    /// <summary>Long enough for one request between replicas, and no longer.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private const int MaxLength = 16 * 1024;
    private readonly IDataProtector _protector = provider.CreateProtector("Gantry.Replica.ForwardedCaller.v1");

    public string Issue(string jobId, Caller caller) => Issue(jobId, caller, time.GetUtcNow() + Lifetime);

    /// <summary>For tests of expiry: an assertion with a chosen end.</summary>
    internal string Issue(string jobId, Caller caller, DateTimeOffset expiresAt) => _protector.Protect(JsonSerializer.Serialize(
        new Assertion(jobId, caller.Name, caller.Role.ToString(), [.. caller.Groups], expiresAt.ToUnixTimeMilliseconds())));

    /// <summary>The caller an assertion names for <paramref name="jobId"/>, or null when it is forged, altered, for another job or expired.</summary>
    public Caller? Read(string? value, string jobId)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength)
        {
            return null;
        }
        Assertion? assertion;
        try
        {
            assertion = JsonSerializer.Deserialize<Assertion>(_protector.Unprotect(value));
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or JsonException)
        {
            return null;
        }
        if (assertion is null || !string.Equals(assertion.Job, jobId, StringComparison.Ordinal)
            || assertion.Expires <= time.GetUtcNow().ToUnixTimeMilliseconds()
            || !Enum.TryParse<Role>(assertion.Role, out var role) || string.IsNullOrEmpty(assertion.User))
        {
            return null;
        }
        return new Caller(assertion.User, role) { Groups = assertion.Groups ?? [] };
    }

    private sealed record Assertion(string Job, string User, string Role, string[]? Groups, long Expires);
}
