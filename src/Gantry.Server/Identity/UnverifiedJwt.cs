using System.Buffers.Text;
using System.Text.Json;

namespace Gantry.Server.Identity;

/// <summary>
/// Reads a JWT's issuer without checking anything: only to choose who checks it (which cluster
/// reviews it, or the OIDC handler). Nothing read here is believed.
/// </summary>
public static class UnverifiedJwt
{
    // A JWT's payload is small; a longer "token" is not one worth parsing.
    private const int MaxLength = 16 * 1024;

    /// <summary>The <c>exp</c> of a JWT-shaped token, or null; believed only after the token was checked.</summary>
    public static DateTimeOffset? Expiry(string token) =>
        Claim(token, "exp") is { ValueKind: JsonValueKind.Number } exp && exp.TryGetInt64(out var seconds) && seconds is > 0 and < 253402300800
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    /// <summary>The <c>iss</c> of a token shaped as a JWS (three base64url parts, a JSON payload), or null.</summary>
    public static string? Issuer(string token) =>
        Claim(token, "iss") is { ValueKind: JsonValueKind.String } iss ? iss.GetString() : null;

    private static JsonElement? Claim(string token, string name)
    {
        if (token.Length > MaxLength)
        {
            return null;
        }
        var parts = token.Split('.');
        if (parts.Length != 3 || parts[1].Length == 0)
        {
            return null;
        }
        try
        {
            using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            return payload.RootElement.ValueKind == JsonValueKind.Object && payload.RootElement.TryGetProperty(name, out var value)
                ? value.Clone()
                : null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }
}
