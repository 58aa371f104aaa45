using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Gantry.Testing;

namespace Gantry.Server.Tests.Api;

/// <summary>
/// The dashboard's sign-in: a token traded for an HttpOnly session cookie, CSRF tokens on every unsafe
/// call the cookie carries, the session bound to its token (revoked or expired ends it), and bearer
/// callers exactly as before.
/// </summary>
public sealed class SessionApiTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly TestGateway _gateway = fixture.Gateway;

    private static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";

    private async Task<(string Name, string Token, string TokenId)> UserAsync(string prefix, string? expiresIn = null)
    {
        var name = NewName(prefix);
        using var admin = _gateway.Client();
        (await admin.PostAsJsonAsync("api/v1/users", new { name, role = "user" })).EnsureSuccessStatusCode();
        var response = await admin.PostAsJsonAsync("api/v1/tokens", expiresIn is null ? new { user = name } : (object)new { user = name, expiresIn });
        var issued = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return (name, issued["token"]!.GetValue<string>(), issued["id"]!.GetValue<string>());
    }

    private static async Task<JsonNode> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(text)!;
    }

    [Fact]
    public async Task Sign_in_sets_an_HttpOnly_SameSite_Strict_session_cookie_on_the_api_path_that_holds_no_token()
    {
        var (name, token, tokenId) = await UserAsync("sid");
        using var session = await BrowserSession.SignInAsync(_gateway, token);

        var cookie = Assert.Single(BrowserSession.SetCookies(session.SignIn), c => c.StartsWith("gantry_session=", StringComparison.Ordinal));
        var attributes = cookie.Split(';').Skip(1).Select(a => a.Trim().ToLowerInvariant()).ToList();
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=strict", attributes);
        Assert.Contains("path=/api/v1", attributes);
        Assert.DoesNotContain("secure", attributes); // plain http here: Secure is for https
        Assert.DoesNotContain(attributes, a => a.StartsWith("expires=", StringComparison.Ordinal) || a.StartsWith("max-age=", StringComparison.Ordinal));
        Assert.DoesNotContain(token, cookie, StringComparison.Ordinal);
        Assert.DoesNotContain(token["gty_".Length..], string.Join("\n", BrowserSession.SetCookies(session.SignIn)), StringComparison.Ordinal);
        var csrfCookie = Assert.Single(BrowserSession.SetCookies(session.SignIn), c => c.StartsWith("gantry_csrf=", StringComparison.Ordinal));
        Assert.Contains("httponly", csrfCookie.ToLowerInvariant(), StringComparison.Ordinal);
        Assert.Equal("no-store", session.SignIn.Headers.CacheControl?.ToString());

        Assert.Equal(["user", "tokenId", "expiresAt", "csrfToken"], session.Body.Select(p => p.Key));
        Assert.Equal((name, "user"), (session.Body["user"]!["name"]!.GetValue<string>(), session.Body["user"]!["role"]!.GetValue<string>()));
        Assert.Equal(tokenId, session.Body["tokenId"]!.GetValue<string>());
        Assert.InRange(session.Body["expiresAt"]!.GetValue<DateTimeOffset>(), DateTimeOffset.UtcNow.AddHours(11), DateTimeOffset.UtcNow.AddHours(12.1));
        Assert.False(string.IsNullOrEmpty(session.Csrf));

        // The cookie alone is the user, on any read: what a new tab needs.
        var whoami = await session.SendAsync(HttpMethod.Get, "api/v1/whoami", csrf: null);
        Assert.Equal(name, JsonNode.Parse(await whoami.Content.ReadAsStringAsync())!["name"]!.GetValue<string>());
        var again = await session.SendAsync(HttpMethod.Get, "api/v1/session", csrf: null);
        var body = JsonNode.Parse(await again.Content.ReadAsStringAsync())!;
        Assert.Equal((name, tokenId), (body["user"]!["name"]!.GetValue<string>(), body["tokenId"]!.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(body["csrfToken"]!.GetValue<string>()));
    }

    [Fact]
    public async Task An_unsafe_call_carried_by_the_cookie_needs_the_csrf_header_403_naming_it_otherwise()
    {
        var (_, token, _) = await UserAsync("csrf");
        using var session = await BrowserSession.SignInAsync(_gateway, token);
        var job = new { manifest = new { kind = "Command", spec = new { command = new[] { "true" } } } };

        var without = await ProblemAsync(await session.SendAsync(HttpMethod.Post, "api/v1/tokens", new { }, csrf: null), HttpStatusCode.Forbidden);
        Assert.NotNull(without["errors"]!["X-CSRF-Token"]);
        var wrong = await ProblemAsync(await session.SendAsync(HttpMethod.Post, "api/v1/tokens", new { }, csrf: "not-the-token"), HttpStatusCode.Forbidden);
        Assert.NotNull(wrong["errors"]!["X-CSRF-Token"]);
        // Another user's CSRF token does not fit this session.
        var (_, otherToken, _) = await UserAsync("csrf-other");
        using (var other = await BrowserSession.SignInAsync(_gateway, otherToken))
        {
            await ProblemAsync(await session.SendAsync(HttpMethod.Post, "api/v1/tokens", new { }, csrf: other.Csrf), HttpStatusCode.Forbidden);
        }
        // The session cookie without antiforgery's cookie: refused too.
        var sessionOnly = session.Cookies.Split("; ").Single(c => c.StartsWith("gantry_session=", StringComparison.Ordinal));
        await ProblemAsync(await session.SendAsync(HttpMethod.Post, "api/v1/tokens", new { }, cookies: sessionOnly), HttpStatusCode.Forbidden);

        var issued = await session.SendAsync(HttpMethod.Post, "api/v1/tokens", new { description = "from the dashboard" });
        Assert.True(issued.StatusCode == HttpStatusCode.Created, await issued.Content.ReadAsStringAsync());
        var submitted = await session.SendAsync(HttpMethod.Post, "api/v1/jobs", job);
        Assert.True(submitted.StatusCode == HttpStatusCode.Created, await submitted.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_request_from_another_origin_of_the_site_is_not_carried_by_the_cookie()
    {
        var (_, token, _) = await UserAsync("site");
        using var session = await BrowserSession.SignInAsync(_gateway, token);

        // A Spark UI's script, on another port of the same host: SameSite sends the cookie, the gateway does not use it.
        await ProblemAsync(await session.SendAsync(HttpMethod.Get, "api/v1/jobs", csrf: null, site: "same-site"), HttpStatusCode.Unauthorized);
        await ProblemAsync(await session.SendAsync(HttpMethod.Post, "api/v1/tokens", new { }, site: "same-site"), HttpStatusCode.Unauthorized);
        await ProblemAsync(await session.SendAsync(HttpMethod.Get, "api/v1/jobs", csrf: null, site: "cross-site"), HttpStatusCode.Unauthorized);
        // Typed into the address bar: the user's own request.
        Assert.Equal(HttpStatusCode.OK, (await session.SendAsync(HttpMethod.Get, "api/v1/jobs", csrf: null, site: "none")).StatusCode);

        // Nor may such a page sign the viewer in as someone else.
        using var http = new HttpClient { BaseAddress = new Uri(_gateway.Url + "/") };
        var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/session") { Content = JsonContent.Create(new { token }) };
        request.Headers.TryAddWithoutValidation("Sec-Fetch-Site", "same-site");
        var refused = await ProblemAsync(await http.SendAsync(request), HttpStatusCode.Forbidden);
        Assert.NotNull(refused["errors"]!["Sec-Fetch-Site"]);
        Assert.Empty(BrowserSession.SetCookies(await http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "api/v1/session")
        {
            Content = new StringContent($"{{\"token\": \"{token}\"}}", Encoding.UTF8, "text/plain"),
        })));
    }

    [Fact]
    public async Task Revoking_the_token_ends_its_session_at_the_next_request_and_clears_the_cookie()
    {
        var (_, token, tokenId) = await UserAsync("rev");
        using var session = await BrowserSession.SignInAsync(_gateway, token);
        Assert.Equal(HttpStatusCode.OK, (await session.SendAsync(HttpMethod.Get, "api/v1/jobs", csrf: null)).StatusCode);

        using var admin = _gateway.Client();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"api/v1/tokens/{tokenId}")).StatusCode);

        var after = await session.SendAsync(HttpMethod.Get, "api/v1/jobs", csrf: null);
        var problem = await ProblemAsync(after, HttpStatusCode.Unauthorized);
        Assert.Contains("session has ended", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(BrowserSession.SetCookies(after), c => c.StartsWith("gantry_session=;", StringComparison.Ordinal) && c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(HttpStatusCode.NoContent, (await session.SendAsync(HttpMethod.Get, "api/v1/session", csrf: null)).StatusCode);
        // A revoked token cannot sign in again either.
        using var http = new HttpClient { BaseAddress = new Uri(_gateway.Url + "/") };
        var again = await ProblemAsync(await http.PostAsJsonAsync("api/v1/session", new { token }), HttpStatusCode.Unauthorized);
        Assert.NotNull(again["errors"]!["token"]);
    }

    [Fact]
    public async Task A_session_ends_when_its_token_expires_and_never_outlives_it()
    {
        var (_, token, _) = await UserAsync("exp", expiresIn: "3s");
        using var session = await BrowserSession.SignInAsync(_gateway, token);
        Assert.True(session.Body["expiresAt"]!.GetValue<DateTimeOffset>() <= DateTimeOffset.UtcNow.AddSeconds(3));
        Assert.Equal(HttpStatusCode.OK, (await session.SendAsync(HttpMethod.Get, "api/v1/whoami", csrf: null)).StatusCode);

        await Polling.UntilAsync(
            async () => (await session.SendAsync(HttpMethod.Get, "api/v1/whoami", csrf: null)).StatusCode == HttpStatusCode.Unauthorized,
            "the session to end with its token");
    }

    [Fact]
    public async Task Bearer_callers_are_unchanged_need_no_csrf_and_a_cookie_beside_the_header_is_ignored()
    {
        var (name, token, _) = await UserAsync("bear");
        using var bearer = _gateway.Client(token);
        var issued = await bearer.PostAsJsonAsync("api/v1/tokens", new { description = "cli" });
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var session = JsonNode.Parse(await bearer.GetStringAsync("api/v1/session"))!;
        Assert.Equal(name, session["user"]!["name"]!.GetValue<string>());
        Assert.Null(session["csrfToken"]);

        // Another user's session cookie next to the bearer header: the header decides, and no CSRF is asked.
        var (_, otherToken, _) = await UserAsync("bear-other");
        using var other = await BrowserSession.SignInAsync(_gateway, otherToken);
        var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/tokens") { Content = JsonContent.Create(new { }) };
        request.Headers.TryAddWithoutValidation("Cookie", other.Cookies);
        var mixed = await bearer.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, mixed.StatusCode);
        Assert.Equal(name, JsonNode.Parse(await mixed.Content.ReadAsStringAsync())!["user"]!["name"]!.GetValue<string>());

        using var anonymous = _gateway.AnonymousClient();
        Assert.Equal(HttpStatusCode.NoContent, (await anonymous.GetAsync("api/v1/session")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("api/v1/jobs")).StatusCode);
    }

    [Fact]
    public async Task Sign_in_refuses_an_unknown_token_a_job_token_and_a_body_without_a_token_naming_the_field()
    {
        using var http = _gateway.AnonymousClient();
        var unknown = await ProblemAsync(await http.PostAsJsonAsync("api/v1/session", new { token = "gty_" + new string('0', 64) }), HttpStatusCode.Unauthorized);
        Assert.NotNull(unknown["errors"]!["token"]);
        var job = await ProblemAsync(await http.PostAsJsonAsync("api/v1/session", new { token = "gjt_" + new string('0', 64) }), HttpStatusCode.UnprocessableEntity);
        Assert.NotNull(job["errors"]!["token"]);
        var missing = await ProblemAsync(await http.PostAsJsonAsync("api/v1/session", new { }), HttpStatusCode.UnprocessableEntity);
        Assert.NotNull(missing["errors"]!["token"]);
        var extra = await ProblemAsync(await http.PostAsJsonAsync("api/v1/session", new { token = "x", password = "y" }), HttpStatusCode.UnprocessableEntity);
        Assert.NotNull(extra["errors"]!["password"]);
        var text = await ProblemAsync(await http.PostAsync("api/v1/session", new StringContent("{}", Encoding.UTF8, "text/plain")), HttpStatusCode.UnsupportedMediaType);
        Assert.NotNull(text["errors"]!["Content-Type"]);
    }

    [Fact]
    public async Task Sign_out_needs_the_csrf_header_then_clears_both_cookies()
    {
        var (_, token, _) = await UserAsync("out");
        using var session = await BrowserSession.SignInAsync(_gateway, token);

        await ProblemAsync(await session.SendAsync(HttpMethod.Delete, "api/v1/session", csrf: null), HttpStatusCode.Forbidden);
        var signedOut = await session.SendAsync(HttpMethod.Delete, "api/v1/session");

        Assert.Equal(HttpStatusCode.NoContent, signedOut.StatusCode);
        var cleared = BrowserSession.SetCookies(signedOut);
        Assert.Contains(cleared, c => c.StartsWith("gantry_session=;", StringComparison.Ordinal) && c.Contains("path=/api/v1", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(cleared, c => c.StartsWith("gantry_csrf=;", StringComparison.Ordinal));
        // Without a session, signing out is still 204.
        using var anonymous = _gateway.AnonymousClient();
        Assert.Equal(HttpStatusCode.NoContent, (await anonymous.DeleteAsync("api/v1/session")).StatusCode);
    }
}
