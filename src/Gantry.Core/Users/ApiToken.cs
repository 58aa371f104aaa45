using System.Security.Cryptography;
using System.Text;

namespace Gantry.Core.Users;

/// <summary>
/// Bearer tokens: 32 random bytes, shown to their owner once and stored only as a SHA-256
/// hash. A slow password hash buys nothing here: the secret has 256 bits of entropy.
/// </summary>
public static class ApiToken
{
    public const string Prefix = "gty_";

    /// <summary>A job's own token: it may only push that job's metrics.</summary>
    public const string JobPrefix = "gjt_";

    public static string New() => New(Prefix);

    public static string NewJobToken() => New(JobPrefix);

    /// <summary>The prefix of a token's public id: not a secret, safe to list, log and audit.</summary>
    public const string IdPrefix = "tok_";

    /// <summary>A new public id: 64 random bits, enough that ids never collide in one store.</summary>
    public static string NewId()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return IdPrefix + Convert.ToHexStringLower(bytes);
    }

    public static bool IsJobToken(string token) => token.StartsWith(JobPrefix, StringComparison.Ordinal);

    private static string New(string prefix)
    {
        Span<byte> bytes = stackalloc byte[32];
        RandomNumberGenerator.Fill(bytes);
        return prefix + Convert.ToHexStringLower(bytes);
    }

    public static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
