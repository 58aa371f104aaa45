using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gantry.Testing;

namespace Gantry.Server.Tests.Identity;

/// <summary>Kubeflow's kubeflow-userid header: believed from a trusted proxy, ignored from anyone else, off by default.</summary>
public sealed class ProxyHeaderSignInTests
{
    private static HttpClient Proxied(TestGateway gateway, string user, string? groups = null)
    {
        var client = gateway.AnonymousClient();
        client.DefaultRequestHeaders.Add("kubeflow-userid", user);
        if (groups is not null)
        {
            client.DefaultRequestHeaders.Add("kubeflow-groups", groups);
        }
        return client;
    }

    [Fact]
    public async Task The_header_from_a_trusted_proxy_names_the_user_and_groups()
    {
        // The test's requests come from 127.0.0.1: here that is the gateway of Kubeflow's mesh.
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>
        {
            ["Gantry:Identity:Proxy:TrustedProxies:0"] = "127.0.0.0/8",
            ["Gantry:Identity:AdminGroup"] = "platform",
        });
        using var admin = gateway.Client();
        (await admin.PostAsJsonAsync("api/v1/queues", new { name = "team", allowedGroups = new[] { "team-a" } })).EnsureSuccessStatusCode();
        using var fay = Proxied(gateway, "fay@example.com", "team-a, readers");
        using var ops = Proxied(gateway, "ops@example.com", "platform");

        var me = await fay.GetFromJsonAsync<JsonObject>("api/v1/session");
        var job = await fay.SubmitAsync(TestJobs.Shell("true", queue: "team"));
        var opsMe = await ops.GetFromJsonAsync<JsonObject>("api/v1/session");

        Assert.Equal("fay@example.com", me!["user"]!["name"]!.GetValue<string>());
        Assert.Equal("fay@example.com", job["owner"]!.GetValue<string>());
        Assert.Equal("admin", opsMe!["user"]!["role"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_header_from_an_untrusted_address_is_ignored_and_the_401_says_why()
    {
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>
        {
            ["Gantry:Identity:Proxy:TrustedProxies:0"] = "10.0.0.0/8",
        });
        using var forger = Proxied(gateway, "admin");

        var response = await forger.GetAsync("api/v1/jobs");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("trusted proxy", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_trusted_proxies_the_header_means_nothing()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var forger = Proxied(gateway, "admin");

        var response = await forger.GetAsync("api/v1/jobs");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_bearer_token_beside_an_untrusted_header_is_what_counts()
    {
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>
        {
            ["Gantry:Identity:Proxy:TrustedProxies:0"] = "10.0.0.0/8",
        });
        using var ann = await gateway.UserClientAsync("ann");
        ann.DefaultRequestHeaders.Add("kubeflow-userid", "admin");

        var me = await ann.GetFromJsonAsync<JsonObject>("api/v1/session");

        Assert.Equal("ann", me!["user"]!["name"]!.GetValue<string>());
    }
}
