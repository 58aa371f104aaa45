using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gantry.Server.Clusters;
using Gantry.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gantry.Server.Tests.Api;

/// <summary>POST /clusters by server URL and token, labels, removal; the credential is stored encrypted and never answered.</summary>
public sealed class ClusterRegistrationTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly TestGateway _gateway = fixture.Gateway;

    private static string NewName() => "k-" + Guid.NewGuid().ToString("N")[..8];

    private static string NewToken() => "tok-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task A_cluster_added_by_url_and_token_is_listed_with_where_it_points_and_its_token_is_stored_encrypted_only()
    {
        using var admin = _gateway.Client();
        var name = NewName();
        var token = NewToken();

        var response = await admin.PostAsJsonAsync("api/v1/clusters", new
        {
            name, server = "https://10.1.2.3:6443", token, @namespace = "batch", labels = new Dictionary<string, string> { ["gpu"] = "a100" },
            insecureSkipTlsVerify = true,
        });
        var created = await response.Content.ReadAsStringAsync();
        var listed = await admin.GetStringAsync("api/v1/clusters");
        var one = JsonNode.Parse(await admin.GetStringAsync($"api/v1/clusters/{name}"))!;

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/v1/clusters/{name}", response.Headers.Location!.OriginalString);
        Assert.Equal("kubernetes", one["type"]!.GetValue<string>());
        Assert.Equal("a100", one["labels"]!["gpu"]!.GetValue<string>());
        Assert.Equal("https://10.1.2.3:6443", one["connection"]!["server"]!.GetValue<string>());
        Assert.Equal("batch", one["connection"]!["namespace"]!.GetValue<string>());
        Assert.Equal("token", one["connection"]!["authentication"]!.GetValue<string>());
        Assert.DoesNotContain(token, created);
        Assert.DoesNotContain(token, listed);
        Assert.DoesNotContain(token, one.ToJsonString());
        Assert.False(await StoreFiles.ContainAsync(_gateway.DataDir, token), "the token must not be stored in the clear");
        var connection = await _gateway.Services.GetRequiredService<IClusterConnections>().GetAsync(name, CancellationToken.None);
        Assert.Equal(token, connection.Token);
        Assert.Equal("batch", connection.Namespace);
        Assert.True(connection.InsecureSkipTlsVerify);
    }

    [Fact]
    public async Task Users_see_clusters_but_not_their_connection_and_may_not_add_one()
    {
        using var admin = _gateway.Client();
        var name = NewName();
        (await admin.PostAsJsonAsync("api/v1/clusters", new { name, server = "https://10.1.2.3:6443", token = NewToken() })).EnsureSuccessStatusCode();
        using var user = await _gateway.UserClientAsync("u" + Guid.NewGuid().ToString("N")[..6]);

        var seen = JsonNode.Parse(await user.GetStringAsync($"api/v1/clusters/{name}"))!;
        var add = await user.PostAsJsonAsync("api/v1/clusters", new { name = NewName(), server = "https://10.1.2.3:6443", token = NewToken() });

        Assert.Equal(name, seen["name"]!.GetValue<string>());
        Assert.Null(seen["connection"]);
        Assert.Equal(HttpStatusCode.Forbidden, add.StatusCode);
    }

    [Fact]
    public async Task Adding_a_name_already_taken_is_409_and_keeps_the_first_connection()
    {
        using var admin = _gateway.Client();
        var name = NewName();
        (await admin.PostAsJsonAsync("api/v1/clusters", new { name, server = "https://10.0.0.1:6443", token = "first" })).EnsureSuccessStatusCode();

        var again = await admin.PostAsJsonAsync("api/v1/clusters", new { name, server = "https://10.0.0.2:6443", token = "second" });

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("first", (await _gateway.Services.GetRequiredService<IClusterConnections>().GetAsync(name, CancellationToken.None)).Token);
    }

    [Fact]
    public async Task Every_bad_field_of_a_new_cluster_is_named_at_once()
    {
        using var admin = _gateway.Client();

        var response = await admin.PostAsJsonAsync("api/v1/clusters", new
        {
            name = "Not_Valid!",
            server = "ftp://example",
            token = "t",
            certificateAuthorityData = "%%% not base64",
            @namespace = "Team A",
            labels = new Dictionary<string, string> { ["bad key!"] = "x" },
            colour = "blue",
        });
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var fields = problem["errors"]!.AsObject().Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["certificateAuthorityData", "colour", "labels.bad key!", "name", "namespace", "server"], fields);
    }

    [Fact]
    public async Task A_missing_token_and_url_are_named_and_a_body_that_is_not_json_is_400()
    {
        using var admin = _gateway.Client();

        var missing = await admin.PostAsJsonAsync("api/v1/clusters", new { name = NewName() });
        var notJson = await admin.PostAsync("api/v1/clusters", new StringContent("name: x", System.Text.Encoding.UTF8, "application/json"));

        var errors = JsonNode.Parse(await missing.Content.ReadAsStringAsync())!["errors"]!.AsObject();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.StatusCode);
        Assert.True(errors.ContainsKey("server"));
        Assert.True(errors.ContainsKey("token"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.True(JsonNode.Parse(await notJson.Content.ReadAsStringAsync())!["errors"]!.AsObject().ContainsKey("body"));
    }

    [Fact]
    public async Task Patch_sets_and_removes_labels_and_names_a_bad_one()
    {
        using var admin = _gateway.Client();
        var name = NewName();
        (await admin.PostAsJsonAsync("api/v1/clusters", new { name, server = "https://10.0.0.1:6443", token = NewToken(), labels = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" } }))
            .EnsureSuccessStatusCode();

        var patched = await admin.PatchAsync($"api/v1/clusters/{name}", JsonContent.Create(new Dictionary<string, object?> { ["labels"] = new Dictionary<string, string?> { ["b"] = null, ["c"] = "3" } }));
        var bad = await admin.PatchAsync($"api/v1/clusters/{name}", JsonContent.Create(new { labels = new { c = 3 } }));
        var unknown = await admin.PatchAsync($"api/v1/clusters/{NewName()}", JsonContent.Create(new { labels = new { c = "3" } }));

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var labels = JsonNode.Parse(await admin.GetStringAsync($"api/v1/clusters/{name}"))!["labels"]!.AsObject();
        Assert.Equal(["a=1", "c=3"], labels.Select(kv => $"{kv.Key}={kv.Value}").Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.True(JsonNode.Parse(await bad.Content.ReadAsStringAsync())!["errors"]!.AsObject().ContainsKey("labels.c"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Delete_forgets_the_cluster_and_refuses_the_local_one()
    {
        using var admin = _gateway.Client();
        var name = NewName();
        (await admin.PostAsJsonAsync("api/v1/clusters", new { name, server = "https://10.0.0.1:6443", token = NewToken() })).EnsureSuccessStatusCode();

        var deleted = await admin.DeleteAsync($"api/v1/clusters/{name}");
        var again = await admin.DeleteAsync($"api/v1/clusters/{name}");
        var local = await admin.DeleteAsync("api/v1/clusters/local");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"api/v1/clusters/{name}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, local.StatusCode);
        Assert.Contains("cordon it instead", JsonNode.Parse(await local.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>());
    }
}
