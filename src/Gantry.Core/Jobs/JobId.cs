using System.Security.Cryptography;

namespace Gantry.Core.Jobs;

/// <summary>
/// Job ids: 12 characters of lower-case base-32, starting with a letter, so that
/// "g-" + id is a valid Kubernetes object name (DNS-1035) and ids are unguessable.
/// </summary>
public static class JobId
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    public const int Length = 12;

    public static string New()
    {
        Span<byte> bytes = stackalloc byte[Length];
        RandomNumberGenerator.Fill(bytes);
        Span<char> chars = stackalloc char[Length];
        chars[0] = Alphabet[bytes[0] % 26];
        for (var i = 1; i < Length; i++)
        {
            chars[i] = Alphabet[bytes[i] % Alphabet.Length];
        }
        return new string(chars);
    }

    public static bool IsWellFormed(string? id) =>
        id is { Length: Length } && id[0] is >= 'a' and <= 'z' && id.All(c => Alphabet.Contains(c, StringComparison.Ordinal));
}
