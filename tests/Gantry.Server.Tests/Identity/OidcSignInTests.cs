using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gantry.Testing;

namespace Gantry.Server.Tests.Identity;

/// <summary>OIDC ID tokens from an issuer on loopback (discovery and JWKS over HTTP): user from email, admin from a group.</summary>
public sealed class OidcSignInTests : IAsyncLifetime
{
    private const string Audience = "gantry-cli";
    private TestOidcIssuer _issuer = null!;
    private TestGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _issuer = await TestOidcIssuer.StartAsync();
        _gateway = await TestGateway.StartAsync(new Dictionary<string, string?>
        {
            ["Gantry:Identity:Oidc:Authority"] = _issuer.Url,
            ["Gantry:Identity:Oidc:Audience"] = Audience,
            ["Gantry:Identity:Oidc:RequireHttpsMetadata"] = "false",
            ["Gantry:Identity:AdminGroup"] = "gantry-admins",
        });
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, JsonObject Body)> WhoAmIAsync(string token)
    {
        using var client = _gateway.AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await client.GetAsync("api/v1/session");
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>())!);
    }

    [Fact]
    public async Task An_id_token_signs_in_as_its_lower_cased_email_and_its_groups_count_for_queues()
    {
        using var admin = _gateway.Client();
        (await admin.PostAsJsonAsync("api/v1/queues", new { name = "ml", allowedGroups = new[] { "ml-team" } })).EnsureSuccessStatusCode();
        using var erin = _gateway.AnonymousClient();
        erin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _issuer.Token("Erin@Example.com", Audience, ["ml-team"]));

        var me = await erin.GetFromJsonAsync<JsonObject>("api/v1/session");
        var job = await erin.SubmitAsync(TestJobs.Shell("true", queue: "ml"));

        Assert.Equal("erin@example.com", me!["user"]!["name"]!.GetValue<string>());
        Assert.Equal("user", me["user"]!["role"]!.GetValue<string>());
        Assert.Equal("erin@example.com", job["owner"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_admin_group_makes_an_admin_only_while_the_token_says_so()
    {
        var (_, asAdmin) = await WhoAmIAsync(_issuer.Token("root@example.com", Audience, ["gantry-admins"]));
        var (_, later) = await WhoAmIAsync(_issuer.Token("root@example.com", Audience, ["users"]));

        Assert.Equal("admin", asAdmin["user"]!["role"]!.GetValue<string>());
        Assert.Equal("user", later["user"]!["role"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_token_for_another_audience_is_401()
    {
        var (status, body) = await WhoAmIAsync(_issuer.Token("erin@example.com", "kubeflow-oidc-authservice"));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("audience", body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_signed_with_an_unpublished_key_is_401()
    {
        var (status, body) = await WhoAmIAsync(_issuer.Token("erin@example.com", Audience, publishedKey: false));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("signature", body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_token_is_401_saying_so()
    {
        var (status, body) = await WhoAmIAsync(_issuer.Token("erin@example.com", Audience, lifetime: TimeSpan.FromMinutes(-10)));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("expired", body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_of_another_issuer_is_401()
    {
        // Signed with the real key, but naming another issuer: no registered cluster has it, nor is it the OIDC issuer.
        var (status, body) = await WhoAmIAsync(_issuer.Token("erin@example.com", Audience, issuer: "https://evil.example.com/dex"));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("issuer", body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
