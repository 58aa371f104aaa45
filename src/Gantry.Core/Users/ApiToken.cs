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

    public static string New()
    {
        Span<byte> bytes = stackalloc byte[32];
        RandomNumberGenerator.Fill(bytes);
        return Prefix + Convert.ToHexStringLower(bytes);
    }

    public static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
