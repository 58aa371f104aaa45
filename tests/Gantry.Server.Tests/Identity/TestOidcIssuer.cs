using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Tests.Identity;

/// <summary>
/// An OpenID Connect issuer on loopback, as Dex is to Kubeflow: discovery and JWKS over real HTTP,
/// and ID tokens signed RS256 with its own key. It can also sign with a key it does not publish.
/// </summary>
public sealed class TestOidcIssuer : IAsyncDisposable
{
    private readonly RSA _key = RSA.Create(2048);
    private readonly RSA _unpublished = RSA.Create(2048);
    private WebApplication _app = null!;

    public string Url { get; private set; } = "";

    private const string KeyId = "test-key";

    public static async Task<TestOidcIssuer> StartAsync()
    {
        var issuer = new TestOidcIssuer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        issuer._app = builder.Build();
        issuer._app.MapGet("/dex/.well-known/openid-configuration", () => Results.Json(new JsonObject
        {
            ["issuer"] = issuer.Url,
            ["jwks_uri"] = issuer.Url + "/keys",
            ["authorization_endpoint"] = issuer.Url + "/auth",
            ["token_endpoint"] = issuer.Url + "/token",
            ["response_types_supported"] = new JsonArray("code"),
            ["subject_types_supported"] = new JsonArray("public"),
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
        }));
        issuer._app.MapGet("/dex/keys", () => Results.Json(issuer.Jwks()));
        await issuer._app.StartAsync();
        var address = issuer._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        issuer.Url = address.TrimEnd('/') + "/dex";
        return issuer;
    }

    /// <summary>An ID token as Dex issues it: email, email_verified, groups, for <paramref name="audience"/>.</summary>
    public string Token(string email, string audience, IEnumerable<string>? groups = null, TimeSpan? lifetime = null, string? issuer = null, bool publishedKey = true)
    {
        var now = DateTimeOffset.UtcNow;
        var expires = now + (lifetime ?? TimeSpan.FromHours(1));
        var claims = new JsonObject
        {
            ["iss"] = issuer ?? Url,
            ["sub"] = "Cg" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(email)))[..16],
            ["aud"] = audience,
            ["exp"] = expires.ToUnixTimeSeconds(),
            ["iat"] = Math.Min(now.ToUnixTimeSeconds(), expires.ToUnixTimeSeconds() - 60),
            ["email"] = email,
            ["email_verified"] = true,
            ["groups"] = new JsonArray([.. (groups ?? []).Select(g => (JsonNode)JsonValue.Create(g))]),
        };
        var header = Encode(new JsonObject { ["alg"] = "RS256", ["kid"] = KeyId, ["typ"] = "JWT" });
        var input = header + "." + Encode(claims);
        var signature = (publishedKey ? _key : _unpublished).SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return input + "." + Base64Url.EncodeToString(signature);
    }

    private JsonObject Jwks()
    {
        var parameters = _key.ExportParameters(false);
        return new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["alg"] = "RS256",
                ["kid"] = KeyId,
                ["n"] = Base64Url.EncodeToString(parameters.Modulus),
                ["e"] = Base64Url.EncodeToString(parameters.Exponent),
            }),
        };
    }

    private static string Encode(JsonObject part) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(part.ToJsonString()));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _key.Dispose();
        _unpublished.Dispose();
    }
}
