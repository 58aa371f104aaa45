using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gantry.Sandbox.Auth;

/// <summary>
/// The cluster's service-account token signer, as kube-apiserver's <c>--service-account-issuer</c>
/// and signing key: RS256 JWTs whose <c>kid</c> is the base64url SHA-256 of the public key (DER),
/// and the public key published as a JWKS. The key lives as long as the cluster.
/// </summary>
internal sealed class ServiceAccountIssuer : IDisposable
{
    private readonly RSA _key = RSA.Create(2048);

    public ServiceAccountIssuer(string issuer)
    {
        Issuer = issuer;
        KeyId = Base64Url.EncodeToString(SHA256.HashData(_key.ExportSubjectPublicKeyInfo()));
    }

    /// <summary>The <c>iss</c> of every token, and the discovery document's <c>issuer</c>.</summary>
    public string Issuer { get; }

    public string KeyId { get; }

    public string Sign(JsonObject claims)
    {
        var header = new JsonObject { ["alg"] = "RS256", ["kid"] = KeyId };
        var signingInput = Encode(header) + "." + Encode(claims);
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>The claims of a token this issuer signed, or null (not a JWT, another key, a bad signature, another issuer).</summary>
    public JsonObject? Verify(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }
        try
        {
            var header = JsonNode.Parse(Base64Url.DecodeFromChars(parts[0])) as JsonObject;
            if (header?["alg"]?.GetValue<string>() != "RS256" || header["kid"]?.GetValue<string>() != KeyId)
            {
                return null;
            }
            var signature = Base64Url.DecodeFromChars(parts[2]);
            if (!_key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            {
                return null;
            }
            var claims = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1])) as JsonObject;
            return claims?["iss"]?.GetValue<string>() == Issuer ? claims : null;
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>What <c>GET /openid/v1/jwks</c> answers.</summary>
    public JsonObject Jwks()
    {
        var parameters = _key.ExportParameters(includePrivateParameters: false);
        return new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["use"] = "sig",
                ["kty"] = "RSA",
                ["kid"] = KeyId,
                ["alg"] = "RS256",
                ["n"] = Base64Url.EncodeToString(parameters.Modulus),
                ["e"] = Base64Url.EncodeToString(parameters.Exponent),
            }),
        };
    }

    /// <summary>What <c>GET /.well-known/openid-configuration</c> answers; the JWKS is served by this API server.</summary>
    public JsonObject Discovery(string serverUrl) => new()
    {
        ["issuer"] = Issuer,
        ["jwks_uri"] = serverUrl.TrimEnd('/') + "/openid/v1/jwks",
        ["response_types_supported"] = new JsonArray("id_token"),
        ["subject_types_supported"] = new JsonArray("public"),
        ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
    };

    public void Dispose() => _key.Dispose();

    private static string Encode(JsonObject part) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(part.ToJsonString()));
}
