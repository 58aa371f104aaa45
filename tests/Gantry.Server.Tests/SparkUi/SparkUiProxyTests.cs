using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gantry.Testing;

namespace Gantry.Server.Tests.SparkUi;

/// <summary>
/// <c>/api/v1/jobs/{id}/spark-ui/</c> against a real driver process on loopback (the local backend
/// with a stand-in spark-submit): the UI under the prefix, who may open it, the session cookie,
/// paths that try to leave it, and the answer once the driver is gone.
/// </summary>
public sealed class SparkUiProxyTests(SparkUiFixture fixture) : IClassFixture<SparkUiFixture>
{
    private readonly TestGateway _gateway = fixture.Gateway;

    [Fact]
    public async Task A_browser_signed_in_opens_the_running_ui_following_its_redirect_and_every_link_and_asset_under_the_prefix()
    {
        using var owner = await _gateway.UserClientAsync("sara");
        var log = fixture.NewRequestLog();
        var id = await SparkJobs.StartAsync(owner, log);
        try
        {
            var cookies = new CookieContainer();
            using var browser = SparkJobs.Browser(_gateway, cookies);
            Assert.Equal(HttpStatusCode.NoContent, (await SparkJobs.SignInAsync(browser, Token(owner))).StatusCode);
            var prefix = $"/api/v1/jobs/{id}/spark-ui";

            // No trailing slash: 301 to the prefix, whose "/" Spark redirects to {proxyBase}/jobs/ on its own address.
            var page = await browser.GetAsync($"api/v1/jobs/{id}/spark-ui");
            var html = await page.Content.ReadAsStringAsync();
            var links = Regex.Matches(html, "(?:href|src)=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();

            Assert.Equal($"{prefix}/", (await owner.GetJobAsync(id))["sparkUiUrl"]!.GetValue<string>());
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal($"{prefix}/jobs/", page.RequestMessage!.RequestUri!.AbsolutePath);
            Assert.Equal([$"{prefix}/static/app.css", $"{prefix}/executors/"], links);
            foreach (var link in links)
            {
                var linked = await browser.GetAsync(link.TrimStart('/'));
                Assert.Equal(HttpStatusCode.OK, linked.StatusCode);
            }
            var css = await browser.GetAsync($"{prefix.TrimStart('/')}/static/app.css");
            Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
            Assert.Contains("#e25a1c", await css.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            var requests = SparkJobs.Requests(log);
            Assert.Contains(requests, r => r["path"]!.GetValue<string>() == "/executors/");
            Assert.Contains(requests, r => r["path"]!.GetValue<string>() == "/static/app.css");
            // The caller's credentials stay at the gateway; the driver cannot plant cookies on its origin.
            Assert.All(requests, r => Assert.False(r["headers"]!.AsObject().ContainsKey("authorization") || r["headers"]!.AsObject().ContainsKey("cookie"), r.ToJsonString()));
            Assert.DoesNotContain(cookies.GetAllCookies(), c => c.Name == "JSESSIONID");
        }
        finally
        {
            await SparkJobs.StopAsync(owner, id);
        }
    }

    [Fact]
    public async Task Only_the_owner_or_an_admin_opens_the_ui_another_user_gets_403_an_unknown_job_404_and_a_command_job_404()
    {
        using var owner = await _gateway.UserClientAsync("tom");
        using var other = await _gateway.UserClientAsync("uma");
        using var admin = _gateway.Client();
        var id = await SparkJobs.StartAsync(owner, fixture.NewRequestLog());
        try
        {
            var refused = await other.GetAsync($"api/v1/jobs/{id}/spark-ui/jobs/");
            var byAdmin = await admin.GetAsync($"api/v1/jobs/{id}/spark-ui/jobs/");
            var unknown = await owner.GetAsync("api/v1/jobs/abcdefghijkl/spark-ui/jobs/");
            var command = (await owner.SubmitAsync(TestJobs.Shell("true"))).Id();
            var notSpark = await owner.GetAsync($"api/v1/jobs/{command}/spark-ui/");

            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Contains("owner", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, byAdmin.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, notSpark.StatusCode);
            Assert.Contains("Command", await notSpark.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            await SparkJobs.StopAsync(owner, id);
        }
    }

    [Fact]
    public async Task The_session_cookie_authenticates_GET_and_HEAD_of_the_ui_and_nothing_else()
    {
        using var owner = await _gateway.UserClientAsync("cora");
        var log = fixture.NewRequestLog();
        var id = await SparkJobs.StartAsync(owner, log);
        try
        {
            using var raw = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = new Uri(_gateway.Url + "/") };
            var signIn = await SparkJobs.SignInAsync(raw, Token(owner));
            var setCookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"));
            var cookie = setCookie.Split(';')[0];
            Assert.StartsWith("gantry_session=", cookie, StringComparison.Ordinal);
            Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("path=/api/v1/jobs", setCookie, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("secure", setCookie, StringComparison.OrdinalIgnoreCase); // plain http here

            Task<HttpResponseMessage> WithCookie(HttpMethod method, string path, HttpContent? body = null)
            {
                var request = new HttpRequestMessage(method, path) { Content = body };
                request.Headers.Add("Cookie", cookie);
                return raw.SendAsync(request);
            }
            var before = SparkJobs.Requests(log).Count;
            Assert.Equal(HttpStatusCode.OK, (await WithCookie(HttpMethod.Get, $"api/v1/jobs/{id}/spark-ui/jobs/")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await WithCookie(HttpMethod.Head, $"api/v1/jobs/{id}/spark-ui/jobs/")).StatusCode);
            Assert.Equal(before + 2, SparkJobs.Requests(log).Count);

            var submission = JsonContent.Create(TestJobs.Shell("true"));
            Assert.Equal(HttpStatusCode.Unauthorized, (await WithCookie(HttpMethod.Post, "api/v1/jobs", submission)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await WithCookie(HttpMethod.Get, "api/v1/jobs")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await WithCookie(HttpMethod.Get, $"api/v1/jobs/{id}")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await WithCookie(HttpMethod.Post, $"api/v1/jobs/{id}/cancel")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await WithCookie(HttpMethod.Post, "api/v1/session")).StatusCode);
            Assert.Equal(HttpStatusCode.MethodNotAllowed, (await WithCookie(HttpMethod.Post, $"api/v1/jobs/{id}/spark-ui/jobs/")).StatusCode);
            Assert.Equal(before + 2, SparkJobs.Requests(log).Count);
            Assert.Equal("Running", (await owner.GetJobAsync(id)).State());
            Assert.Equal(HttpStatusCode.Unauthorized, (await raw.PostAsync("api/v1/session", null)).StatusCode);

            var signOut = await raw.DeleteAsync("api/v1/session");
            Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
            Assert.Contains("expires=Thu, 01 Jan 1970", Assert.Single(signOut.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);
            var forged = await WithCookieValue(raw, $"api/v1/jobs/{id}/spark-ui/jobs/", "gantry_session=gty_not-a-token");
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        }
        finally
        {
            await SparkJobs.StopAsync(owner, id);
        }
    }

    [Fact]
    public async Task Paths_that_try_to_leave_the_ui_are_refused_with_400_and_reach_nothing_upstream()
    {
        using var admin = _gateway.Client();
        var log = fixture.NewRequestLog();
        var id = await SparkJobs.StartAsync(admin, log);
        try
        {
            var p = $"/api/v1/jobs/{id}/spark-ui";
            string[] attempts =
            [
                $"{p}/../../../healthz",
                $"{p}/jobs/../../../../api/v1/users",
                $"{p}/%2e%2e/%2e%2e/%2e%2e/users",
                $"{p}/%2E%2E/",
                $"{p}/static%2f..%2f..%2fusers",
                $"{p}/static%5c..%5cusers",
                $"{p}/static\\..\\users",
                $"{p}/%252e%252e/users",
                $"{p}//evil.example/jobs/",
                $"{p}/./jobs/",
                $"/api/v1/jobs/{id}/./spark-ui/jobs/",
                $"/api/v1/jobs/x/../{id}/spark-ui/jobs/",
                $"/API/V1/JOBS/{id}/SPARK-UI/%2e%2e/",
                $"http://evil.example{p}/jobs/",
            ];
            var before = SparkJobs.Requests(log).Count;

            foreach (var target in attempts)
            {
                var (status, response) = await RawHttp.SendAsync(_gateway.Url, "GET", target, _gateway.AdminToken);
                Assert.True(status == 400, $"{target} answered {status}:\n{response}");
            }
            var (_, named) = await RawHttp.SendAsync(_gateway.Url, "GET", $"{p}/%2e%2e/", _gateway.AdminToken);
            Assert.Contains("\"path\"", named, StringComparison.Ordinal);
            Assert.Equal(before, SparkJobs.Requests(log).Count);

            // The same client, inside the UI: forwarded, which shows the log above would have seen the others.
            var (inside, _) = await RawHttp.SendAsync(_gateway.Url, "GET", $"{p}/jobs/?id=1", _gateway.AdminToken);
            Assert.Equal(200, inside);
            Assert.Equal("/jobs/?id=1", SparkJobs.Requests(log)[^1]["path"]!.GetValue<string>());
        }
        finally
        {
            await SparkJobs.StopAsync(admin, id);
        }
    }

    [Fact]
    public async Task Before_the_driver_runs_and_after_it_ended_the_ui_answers_409_with_a_page_or_problem_linking_the_logs()
    {
        using var owner = await _gateway.UserClientAsync("dora");
        await _gateway.SetCordonAsync(true);
        string queued;
        try
        {
            queued = (await owner.SubmitAsync(new JsonObject { ["manifest"] = TestJobs.SparkApplication("later"), ["queue"] = "default" })).Id();
            var notYet = await Accepting(owner, $"api/v1/jobs/{queued}/spark-ui/", "application/json");
            var problem = JsonNode.Parse(await notYet.Content.ReadAsStringAsync())!;
            Assert.Equal(HttpStatusCode.Conflict, notYet.StatusCode);
            Assert.Equal("Queued", problem["state"]!.GetValue<string>());
            Assert.Contains("not running yet", problem["title"]!.GetValue<string>(), StringComparison.Ordinal);
            await owner.PostAsync($"api/v1/jobs/{queued}/cancel", null);
        }
        finally
        {
            await _gateway.SetCordonAsync(false);
        }

        var id = await SparkJobs.StartAsync(owner, fixture.NewRequestLog());
        await SparkJobs.StopAsync(owner, id);
        var page = await Accepting(owner, $"api/v1/jobs/{id}/spark-ui/jobs/", "text/html,application/xhtml+xml,*/*;q=0.8");
        var json = await Accepting(owner, $"api/v1/jobs/{id}/spark-ui/jobs/", "application/json");

        Assert.Equal(HttpStatusCode.Conflict, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("has ended", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"/api/v1/jobs/{id}/logs\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, json.StatusCode);
        Assert.Equal("application/problem+json", json.Content.Headers.ContentType?.MediaType);
        var ended = JsonNode.Parse(await json.Content.ReadAsStringAsync())!;
        Assert.Equal("Cancelled", ended["state"]!.GetValue<string>());
        Assert.Equal($"/api/v1/jobs/{id}/logs", ended["logs"]!.GetValue<string>());
    }

    private static string Token(HttpClient client) => client.DefaultRequestHeaders.Authorization!.Parameter!;

    private static Task<HttpResponseMessage> Accepting(HttpClient client, string path, string accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd(accept);
        return client.SendAsync(request);
    }

    private static Task<HttpResponseMessage> WithCookieValue(HttpClient client, string path, string cookie)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        return client.SendAsync(request);
    }
}
