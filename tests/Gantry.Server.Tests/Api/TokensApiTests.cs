using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gantry.Core.Users;
using Gantry.Storage;
using Gantry.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gantry.Server.Tests.Api;

/// <summary>Tokens with a life cycle: issued with an id and an expiry, listed by id, revoked by id, last use recorded.</summary>
public sealed class TokensApiTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly TestGateway _gateway = fixture.Gateway;

    private static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";

    private static async Task<JsonObject> IssueAsync(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("api/v1/tokens", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private static async Task<JsonArray> ListAsync(HttpClient client, string query = "") =>
        JsonNode.Parse(await client.GetStringAsync("api/v1/tokens" + query))!["items"]!.AsArray();

    private static string Secret(JsonObject issued) => issued["token"]!.GetValue<string>();

    private static string Id(JsonNode issued) => issued["id"]!.GetValue<string>();

    [Fact]
    public async Task Issuing_answers_id_token_expiresAt_and_user_and_the_token_works()
    {
        var name = NewName("ivy");
        using var ivy = await _gateway.UserClientAsync(name);
        var before = DateTimeOffset.UtcNow;

        var response = await ivy.PostAsJsonAsync("api/v1/tokens", new { expiresIn = "30d", description = "laptop" });
        var issued = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(["id", "token", "expiresAt", "user"], issued.Select(p => p.Key));
        Assert.Matches("^tok_[0-9a-f]{16}$", Id(issued));
        Assert.StartsWith("gty_", Secret(issued));
        Assert.Equal($"/api/v1/tokens/{Id(issued)}", response.Headers.Location!.OriginalString);
        var expiresAt = issued["expiresAt"]!.GetValue<DateTimeOffset>();
        Assert.InRange(expiresAt, before.AddDays(30).AddSeconds(-1), DateTimeOffset.UtcNow.AddDays(30).AddSeconds(1));
        Assert.Equal(name, issued["user"]!["name"]!.GetValue<string>());
        Assert.Equal("user", issued["user"]!["role"]!.GetValue<string>());
        using var withNew = _gateway.Client(Secret(issued));
        Assert.Equal(name, JsonNode.Parse(await withNew.GetStringAsync("api/v1/whoami"))!["name"]!.GetValue<string>());
        var one = JsonNode.Parse(await withNew.GetStringAsync($"api/v1/tokens/{Id(issued)}"))!;
        Assert.Equal(("laptop", true), (one["description"]!.GetValue<string>(), one["current"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task Creating_a_user_answers_the_first_tokens_id_and_expiry_beside_the_old_fields()
    {
        using var admin = _gateway.Client();
        var name = NewName("una");

        var issued = JsonNode.Parse(await (await admin.PostAsJsonAsync("api/v1/users", new { name, role = "admin" })).Content.ReadAsStringAsync())!;
        var another = JsonNode.Parse(await (await admin.PostAsync($"api/v1/users/{name}/tokens", null)).Content.ReadAsStringAsync())!;

        foreach (var answer in new[] { issued, another })
        {
            Assert.Matches("^tok_", Id(answer));
            Assert.StartsWith("gty_", answer["token"]!.GetValue<string>());
            Assert.True(answer.AsObject().ContainsKey("expiresAt"));
            Assert.Null(answer["expiresAt"]);
            Assert.Equal((name, "admin"), (answer["user"]!["name"]!.GetValue<string>(), answer["user"]!["role"]!.GetValue<string>()));
        }
        Assert.Equal(
            new[] { Id(issued), Id(another) }.Order(StringComparer.Ordinal),
            (await ListAsync(admin, $"?user={name}")).Select(t => Id(t!)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_user_lists_only_their_own_tokens_never_a_secret_and_an_admin_lists_anyones()
    {
        var (annName, bobName) = (NewName("ann"), NewName("bob"));
        using var ann = await _gateway.UserClientAsync(annName);
        using var bob = await _gateway.UserClientAsync(bobName);
        using var admin = _gateway.Client();
        var annSecond = await IssueAsync(ann, new { description = "ci" });
        var bobSecond = await IssueAsync(bob, new { });

        var annList = await ListAsync(ann);
        var text = annList.ToJsonString();

        Assert.Equal(2, annList.Count);
        Assert.All(annList, t => Assert.Equal(annName, t!["user"]!.GetValue<string>()));
        Assert.Contains(annList, t => Id(t!) == Id(annSecond) && t!["description"]!.GetValue<string>() == "ci");
        Assert.Single(annList, t => t!["current"]!.GetValue<bool>());
        foreach (var field in new[] { "id", "user", "description", "createdAt", "expiresAt", "lastUsedAt", "expired", "current" })
        {
            Assert.True(annList[0]!.AsObject().ContainsKey(field), field);
        }
        Assert.DoesNotContain(Secret(annSecond), text);
        Assert.DoesNotContain(ApiToken.Hash(Secret(annSecond)), text);
        Assert.DoesNotContain("gty_", text);
        Assert.DoesNotContain(Id(bobSecond), text);
        var forbidden = await ann.GetAsync($"api/v1/tokens?user={bobName}");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("application/problem+json", forbidden.Content.Headers.ContentType?.MediaType);
        var bobsByAdmin = await ListAsync(admin, $"?user={bobName}");
        Assert.Contains(bobsByAdmin, t => Id(t!) == Id(bobSecond));
        Assert.All(bobsByAdmin, t => Assert.Equal(bobName, t!["user"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"api/v1/tokens?user={NewName("nobody")}")).StatusCode);
    }

    [Fact]
    public async Task A_revoked_token_is_refused_on_the_very_next_call_and_the_others_go_on()
    {
        using var cam = await _gateway.UserClientAsync(NewName("cam"));
        var second = await IssueAsync(cam, new { description = "to revoke" });
        using var withSecond = _gateway.Client(Secret(second));
        // Used first, so this replica's cache holds it when it is revoked.
        Assert.Equal(HttpStatusCode.OK, (await withSecond.GetAsync("api/v1/whoami")).StatusCode);

        var revoked = await cam.DeleteAsync($"api/v1/tokens/{Id(second)}");
        var after = await withSecond.GetAsync("api/v1/whoami");

        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.DoesNotContain("expired", await after.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await cam.GetAsync("api/v1/whoami")).StatusCode);
        Assert.DoesNotContain(await ListAsync(cam), t => Id(t!) == Id(second));
        Assert.Equal(HttpStatusCode.NotFound, (await cam.DeleteAsync($"api/v1/tokens/{Id(second)}")).StatusCode);
    }

    [Fact]
    public async Task Another_users_token_id_is_a_404_to_a_user_and_an_admin_may_revoke_it()
    {
        using var dee = await _gateway.UserClientAsync(NewName("dee"));
        using var eve = await _gateway.UserClientAsync(NewName("eve"));
        using var admin = _gateway.Client();
        var dees = await IssueAsync(dee, new { });
        using var withDees = _gateway.Client(Secret(dees));

        var read = await eve.GetAsync($"api/v1/tokens/{Id(dees)}");
        var revoke = await eve.DeleteAsync($"api/v1/tokens/{Id(dees)}");
        var unknown = await eve.DeleteAsync($"api/v1/tokens/{ApiToken.NewId()}");

        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        // The same answer as for a token that does not exist: nothing tells that it does.
        Assert.Equal($"Token '{Id(dees)}' was not found.", JsonNode.Parse(await revoke.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await withDees.GetAsync("api/v1/whoami")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"api/v1/tokens/{Id(dees)}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await withDees.GetAsync("api/v1/whoami")).StatusCode);
    }

    [Fact]
    public async Task An_expired_token_is_refused_with_401_saying_it_expired_and_nothing_more()
    {
        var name = NewName("fay");
        using var fay = await _gateway.UserClientAsync(name);
        var secret = ApiToken.New();
        var store = _gateway.Services.GetRequiredService<IGantryStore>();
        await store.Tokens.AddAsync(
            new UserToken(ApiToken.NewId(), name, "old", DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddDays(-1), null), ApiToken.Hash(secret), CancellationToken.None);
        using var expired = _gateway.Client(secret);
        using var unknown = _gateway.Client(ApiToken.New());

        var response = await expired.GetAsync("api/v1/jobs");
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var unknownProblem = await (await unknown.GetAsync("api/v1/jobs")).Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("expired", problem["detail"]!.GetValue<string>());
        Assert.DoesNotContain(name, problem.ToJsonString());
        Assert.DoesNotContain("expired", unknownProblem);
        var listed = Assert.Single(await ListAsync(fay), t => t!["description"]!.GetValue<string>() == "old")!;
        Assert.True(listed["expired"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_token_issued_to_live_one_second_is_refused_once_that_second_is_over()
    {
        using var gil = await _gateway.UserClientAsync(NewName("gil"));
        var issued = await IssueAsync(gil, new { expiresIn = "1s" });
        using var shortLived = _gateway.Client(Secret(issued));
        var expiresAt = issued["expiresAt"]!.GetValue<DateTimeOffset>();

        var response = await shortLived.GetAsync("api/v1/whoami");
        for (var deadline = DateTime.UtcNow.AddSeconds(30); response.StatusCode == HttpStatusCode.OK && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(100);
            response = await shortLived.GetAsync("api/v1/whoami");
        }

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("expired", await response.Content.ReadAsStringAsync());
        Assert.True(DateTimeOffset.UtcNow >= expiresAt);
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"30\"")]
    [InlineData("\"30y\"")]
    [InlineData("\"-1d\"")]
    [InlineData("\"1.5h\"")]
    [InlineData("\"0d\"")]
    [InlineData("\"366d\"")]
    [InlineData("\"99999999999d\"")]
    [InlineData("\"999999999d\"")]
    [InlineData("30")]
    [InlineData("true")]
    public async Task A_bad_duration_is_a_400_naming_expiresIn(string expiresIn)
    {
        using var admin = _gateway.Client();

        var response = await admin.PostAsync("api/v1/tokens", new StringContent($$"""{"expiresIn": {{expiresIn}}}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await BadInputTests.AssertProblemNamesAsync(response, "expiresIn");
    }

    [Fact]
    public async Task Bad_token_requests_name_their_field()
    {
        using var hal = await _gateway.UserClientAsync(NewName("hal"));
        using var admin = _gateway.Client();

        var forOther = await hal.PostAsJsonAsync("api/v1/tokens", new { user = "admin" });
        var forNobody = await admin.PostAsJsonAsync("api/v1/tokens", new { user = NewName("nobody") });
        var extra = await admin.PostAsJsonAsync("api/v1/tokens", new { bogus = 1, description = new string('x', 201) });
        var garbage = await admin.PostAsync("api/v1/tokens", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Forbidden, forOther.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, forNobody.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, extra.StatusCode);
        await BadInputTests.AssertProblemNamesAsync(extra, "bogus");
        await BadInputTests.AssertProblemNamesAsync(extra, "description");
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        await BadInputTests.AssertProblemNamesAsync(garbage, "body");
    }

    [Fact]
    public async Task A_users_new_token_never_outlives_the_token_that_asked_for_it()
    {
        using var ida = await _gateway.UserClientAsync(NewName("ida"));
        var hourLong = await IssueAsync(ida, new { expiresIn = "1h" });
        using var withHour = _gateway.Client(Secret(hourLong));

        var longer = await withHour.PostAsJsonAsync("api/v1/tokens", new { expiresIn = "2h" });
        var byDefault = await IssueAsync(withHour, new { });
        var shorter = await IssueAsync(withHour, new { expiresIn = "30m" });

        Assert.Equal(HttpStatusCode.BadRequest, longer.StatusCode);
        await BadInputTests.AssertProblemNamesAsync(longer, "expiresIn");
        Assert.Equal(hourLong["expiresAt"]!.GetValue<DateTimeOffset>(), byDefault["expiresAt"]!.GetValue<DateTimeOffset>());
        Assert.True(shorter["expiresAt"]!.GetValue<DateTimeOffset>() < hourLong["expiresAt"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task The_last_use_of_a_token_is_recorded_and_listed()
    {
        using var jo = await _gateway.UserClientAsync(NewName("jo"));
        var issued = await IssueAsync(jo, new { description = "unused until now" });
        Assert.Null((await ListAsync(jo)).Single(t => Id(t!) == Id(issued))!["lastUsedAt"]);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        using var withIt = _gateway.Client(Secret(issued));

        (await withIt.GetAsync("api/v1/whoami")).EnsureSuccessStatusCode();
        (await withIt.GetAsync("api/v1/whoami")).EnsureSuccessStatusCode();

        var lastUsed = (await ListAsync(jo)).Single(t => Id(t!) == Id(issued))!["lastUsedAt"]!.GetValue<DateTimeOffset>();
        Assert.InRange(lastUsed, before, DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task The_OpenAPI_document_names_and_summarizes_the_token_and_audit_operations()
    {
        using var client = _gateway.AnonymousClient();

        var paths = JsonNode.Parse(await client.GetStringAsync("openapi/v1.json"))!["paths"]!;

        foreach (var (path, method, operationId) in new[]
        {
            ("/api/v1/tokens", "post", "IssueToken"), ("/api/v1/tokens", "get", "ListTokens"),
            ("/api/v1/tokens/{id}", "get", "GetToken"), ("/api/v1/tokens/{id}", "delete", "RevokeToken"),
            ("/api/v1/audit", "get", "ListAudit"),
        })
        {
            var operation = paths[path]?[method];
            Assert.True(operation is not null, $"{method} {path} is not in the OpenAPI document");
            Assert.Equal(operationId, operation["operationId"]!.GetValue<string>());
            Assert.False(string.IsNullOrWhiteSpace(operation["summary"]?.GetValue<string>()), $"{operationId} has no summary");
        }
    }

    [PostgresFact]
    public async Task A_revocation_on_one_replica_is_refused_by_another_within_the_cache_lifetime()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var dataDir = Path.Combine(Path.GetTempPath(), "gantry-test-" + Guid.NewGuid().ToString("N")[..12]);
        var settings = new Dictionary<string, string?>
        {
            ["Gantry:Storage:Provider"] = "postgres",
            ["Gantry:Storage:ConnectionString"] = database.ConnectionString,
            ["Gantry:Tokens:CacheSeconds"] = "2",
        };
        // Two replicas on one store (sharing a data dir only so the second finds the admin token file).
        await using var first = await TestGateway.StartAsync(settings, dataDir);
        await using var second = await TestGateway.StartAsync(settings, dataDir);
        using var onFirst = first.Client();
        var issued = await IssueAsync(onFirst, new { description = "seen by both" });
        using var withItOnSecond = second.Client(Secret(issued));
        Assert.Equal(HttpStatusCode.OK, (await withItOnSecond.GetAsync("api/v1/whoami")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await onFirst.DeleteAsync($"api/v1/tokens/{Id(issued)}")).StatusCode);
        var revokedAt = DateTime.UtcNow;
        var status = (await withItOnSecond.GetAsync("api/v1/whoami")).StatusCode;
        while (status == HttpStatusCode.OK && DateTime.UtcNow - revokedAt < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50);
            status = (await withItOnSecond.GetAsync("api/v1/whoami")).StatusCode;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        // The bound is the cache lifetime (2 s); the margin is for a busy machine, not for luck.
        Assert.True(DateTime.UtcNow - revokedAt < TimeSpan.FromSeconds(2 + 15), $"took {DateTime.UtcNow - revokedAt}");
        using var onFirstAgain = first.Client(Secret(issued));
        Assert.Equal(HttpStatusCode.Unauthorized, (await onFirstAgain.GetAsync("api/v1/whoami")).StatusCode);
    }
}
