using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Gantry.Core.Audit;
using Gantry.Server.Tests.Clusters;
using Gantry.Testing;

namespace Gantry.Server.Tests.Api;

/// <summary>The audit trail: every admin endpoint writes its row, readable by admins only, filtered and paged.</summary>
public sealed class AuditApiTests(SandboxClustersFixture fixture) : IClassFixture<SandboxClustersFixture>
{
    private readonly TestGateway _gateway = fixture.Gateway;

    private static string Suffix() => Guid.NewGuid().ToString("N")[..6];

    /// <summary>A fresh admin, so that filtering by actor finds this test's actions and no other's.</summary>
    private async Task<(string Name, HttpClient Client)> AdminAsync()
    {
        var name = "auditor-" + Suffix();
        using var admin = _gateway.Client();
        var issued = JsonNode.Parse(await (await admin.PostAsJsonAsync("api/v1/users", new { name, role = "admin" })).Content.ReadAsStringAsync())!;
        return (name, _gateway.Client(issued["token"]!.GetValue<string>()));
    }

    private static async Task<JsonArray> AuditAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync("api/v1/audit" + query);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["items"]!.AsArray();
    }

    private static async Task OkAsync(Task<HttpResponseMessage> call)
    {
        var response = await call;
        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task Every_admin_action_kind_is_recorded_with_who_what_and_when_and_no_secret()
    {
        var (actor, client) = await AdminAsync();
        using var _ = client;
        var suffix = Suffix();
        var (queue, fake, user) = ($"aq-{suffix}", $"fake-{suffix}", $"au-{suffix}");
        var (clusterToken, imported) = ("secret-cluster-token-" + suffix, $"west-{suffix}");
        var started = DateTimeOffset.UtcNow.AddSeconds(-1);

        await OkAsync(client.PostAsJsonAsync("api/v1/queues", new { name = queue, weight = 2 }));
        await OkAsync(client.PutAsJsonAsync($"api/v1/queues/{queue}", new { weight = 3 }));
        await OkAsync(client.DeleteAsync($"api/v1/queues/{queue}"));
        await OkAsync(client.PostAsJsonAsync("api/v1/clusters", new { name = fake, server = "https://10.1.2.3:6443", token = clusterToken }));
        await OkAsync(client.PatchAsync($"api/v1/clusters/{fake}", new StringContent("""{"labels": {"gpu": "a100"}}""", Encoding.UTF8, "application/json")));
        await OkAsync(client.PostAsync($"api/v1/clusters/{fake}/cordon", null));
        await OkAsync(client.PostAsync($"api/v1/clusters/{fake}/uncordon", null));
        await OkAsync(client.DeleteAsync($"api/v1/clusters/{fake}"));
        await OkAsync(client.PostAsJsonAsync("api/v1/clusters/import",
            new { kubeconfig = SandboxClustersFixture.Kubeconfig((fixture.West, imported, fixture.West.AdminToken, "default")) }));
        await OkAsync(client.PostAsync($"api/v1/clusters/{imported}/test", null));
        var userAnswer = await client.PostAsJsonAsync("api/v1/users", new { name = user });
        await OkAsync(Task.FromResult(userAnswer));
        var share = await client.PostAsJsonAsync($"api/v1/clusters/{imported}/shares", new { user });
        await OkAsync(Task.FromResult(share));
        await OkAsync(client.DeleteAsync($"api/v1/clusters/{imported}/shares/{user}"));
        var token = JsonNode.Parse(await (await client.PostAsJsonAsync("api/v1/tokens", new { user, expiresIn = "1h" })).Content.ReadAsStringAsync())!;
        await OkAsync(client.DeleteAsync($"api/v1/tokens/{token["id"]!.GetValue<string>()}"));
        using (var session = await BrowserSession.SignInAsync(_gateway, client.DefaultRequestHeaders.Authorization!.Parameter!))
        {
            await OkAsync(session.SendAsync(HttpMethod.Delete, "api/v1/session"));
        }

        var entries = await AuditAsync(client, $"?actor={actor}&limit=500");
        var text = entries.ToJsonString();

        Assert.Equal(AuditActions.All.Order(StringComparer.Ordinal), entries.Select(e => e!["action"]!.GetValue<string>()).Distinct().Order(StringComparer.Ordinal));
        Assert.All(entries, e => Assert.Equal(actor, e!["actor"]!.GetValue<string>()));
        Assert.All(entries, e => Assert.InRange(e!["at"]!.GetValue<DateTimeOffset>(), started, DateTimeOffset.UtcNow.AddSeconds(1)));
        Assert.Contains(entries, e => e!["action"]!.GetValue<string>() == "cluster.cordon" && e["target"]!.GetValue<string>() == fake);
        Assert.Contains(entries, e => e!["action"]!.GetValue<string>() == "queue.update" && e["target"]!.GetValue<string>() == queue && e["detail"]!.GetValue<string>().Contains("weight 3", StringComparison.Ordinal));
        Assert.Contains(entries, e => e!["action"]!.GetValue<string>() == "share.create" && e["target"]!.GetValue<string>() == $"{imported}/{user}");
        Assert.Contains(entries, e => e!["action"]!.GetValue<string>() == "token.revoke" && e["target"]!.GetValue<string>() == token["id"]!.GetValue<string>());
        // Secrets never reach the trail: not the cluster's token, the users' tokens or the shared kubeconfig's.
        Assert.DoesNotContain(clusterToken, text);
        Assert.DoesNotContain(fixture.West.AdminToken, text);
        Assert.DoesNotContain(token["token"]!.GetValue<string>(), text);
        Assert.DoesNotContain(JsonNode.Parse(await userAnswer.Content.ReadAsStringAsync())!["token"]!.GetValue<string>(), text);
        Assert.DoesNotContain("gty_", text);
        var kubeconfig = JsonNode.Parse(await share.Content.ReadAsStringAsync())!["kubeconfig"]!.GetValue<string>();
        var shareToken = kubeconfig.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("token:", StringComparison.Ordinal))["token:".Length..].Trim();
        Assert.DoesNotContain(shareToken, text);
    }

    [Fact]
    public async Task The_trail_filters_by_action_or_resource_and_since_and_pages_with_a_cursor()
    {
        var (actor, client) = await AdminAsync();
        using var _ = client;
        var fake = $"fake-{Suffix()}";
        await OkAsync(client.PostAsJsonAsync("api/v1/clusters", new { name = fake, server = "https://10.1.2.3:6443", token = "t" }));
        for (var i = 0; i < 3; i++)
        {
            await OkAsync(client.PostAsync($"api/v1/clusters/{fake}/cordon", null));
            await OkAsync(client.PostAsync($"api/v1/clusters/{fake}/uncordon", null));
        }
        await OkAsync(client.PostAsJsonAsync("api/v1/queues", new { name = $"fq-{Suffix()}" }));

        var cordons = await AuditAsync(client, $"?actor={actor}&action=cluster.cordon");
        var clusters = await AuditAsync(client, $"?actor={actor}&action=cluster");
        var future = await AuditAsync(client, $"?actor={actor}&since={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"))}");
        var all = await AuditAsync(client, $"?actor={actor}");
        var paged = new List<string>();
        string? cursor = null;
        do
        {
            var page = JsonNode.Parse(await client.GetStringAsync($"api/v1/audit?actor={actor}&limit=2" + (cursor is null ? "" : $"&cursor={cursor}")))!;
            paged.AddRange(page["items"]!.AsArray().Select(e => e!["action"]!.GetValue<string>()));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);

        Assert.Equal(3, cordons.Count);
        Assert.Equal(7, clusters.Count);
        Assert.Empty(future);
        Assert.Equal(8, all.Count);
        Assert.Equal("queue.create", all[0]!["action"]!.GetValue<string>());
        Assert.Equal(all.Select(e => e!["action"]!.GetValue<string>()), paged);
    }

    [Fact]
    public async Task The_trail_is_for_admins_and_bad_filters_name_their_parameter()
    {
        using var user = await _gateway.UserClientAsync("nosy-" + Suffix());
        using var admin = _gateway.Client();

        var forbidden = await user.GetAsync("api/v1/audit");
        var since = await admin.GetAsync("api/v1/audit?since=yesterday");
        var cursor = await admin.GetAsync("api/v1/audit?cursor=bogus");
        var limit = await admin.GetAsync("api/v1/audit?limit=0");

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, since.StatusCode);
        await BadInputTests.AssertProblemNamesAsync(since, "since");
        await BadInputTests.AssertProblemNamesAsync(cursor, "cursor");
        await BadInputTests.AssertProblemNamesAsync(limit, "limit");
    }
}
