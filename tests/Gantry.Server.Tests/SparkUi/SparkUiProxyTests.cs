using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gantry.Testing;

namespace Gantry.Server.Tests.SparkUi;

/// <summary>
/// <c>/api/v1/jobs/{id}/spark-ui/</c> on the UI origin against a real driver process on loopback (the
/// local backend with a stand-in spark-submit): the UI under the prefix, who may get a link, paths
/// that try to leave it, and the answer once the driver is gone. <see cref="SparkUiOriginTests"/>
/// covers the origin itself, its cookie and links.
/// </summary>
public sealed class SparkUiProxyTests(SparkUiFixture fixture) : IClassFixture<SparkUiFixture>
{
    private readonly TestGateway _gateway = fixture.Gateway;

    [Fact]
    public async Task A_browser_with_a_signed_link_opens_the_running_ui_following_its_redirect_and_every_link_and_asset_under_the_prefix()
    {
        using var owner = await _gateway.UserClientAsync("sara");
        var log = fixture.NewRequestLog();
        var id = await SparkJobs.StartAsync(owner, log);
        try
        {
            var cookies = new CookieContainer();
            using var browser = await SparkJobs.BrowserAsync(owner, id, cookies);
            var prefix = $"/api/v1/jobs/{id}/spark-ui";

            // No trailing slash: 301 to the prefix, whose "/" Spark redirects to {proxyBase}/jobs/ on its own address.
            var page = await browser.GetAsync($"api/v1/jobs/{id}/spark-ui");
            var html = await page.Content.ReadAsStringAsync();
            var links = Regex.Matches(html, "(?:href|src)=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();

            Assert.Equal($"{prefix}/", (await owner.GetJobAsync(id))["sparkUiUrl"]!.GetValue<string>());
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal(_gateway.UiUrl + $"{prefix}/jobs/", page.RequestMessage!.RequestUri!.GetLeftPart(UriPartial.Path));
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
            // The UI cookie stays at the gateway; the driver cannot plant cookies on its origin.
            Assert.All(requests, r => Assert.False(r["headers"]!.AsObject().ContainsKey("authorization") || r["headers"]!.AsObject().ContainsKey("cookie"), r.ToJsonString()));
            Assert.DoesNotContain(cookies.GetAllCookies(), c => c.Name == "JSESSIONID");
        }
        finally
        {
            await SparkJobs.StopAsync(owner, id);
        }
    }

    [Fact]
    public async Task Only_the_owner_or_an_admin_gets_a_link_another_user_an_unknown_job_and_a_command_job_get_404()
    {
        using var owner = await _gateway.UserClientAsync("tom");
        using var other = await _gateway.UserClientAsync("uma");
        using var admin = _gateway.Client();
        var id = await SparkJobs.StartAsync(owner, fixture.NewRequestLog());
        try
        {
            var refused = await other.PostAsync($"api/v1/jobs/{id}/spark-ui/link", null);
            var unknown = await owner.PostAsync("api/v1/jobs/abcdefghijkl/spark-ui/link", null);
            var command = (await owner.SubmitAsync(TestJobs.Shell("true"))).Id();
            var notSpark = await owner.PostAsync($"api/v1/jobs/{command}/spark-ui/link", null);
            using var byAdmin = await SparkJobs.BrowserAsync(admin, id);

            // The same answer as the rest of the API gives for a job one may not see.
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            var asJob = await other.GetAsync($"api/v1/jobs/{id}");
            Assert.Equal(HttpStatusCode.NotFound, asJob.StatusCode);
            Assert.Equal(JsonNode.Parse(await asJob.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>(),
                JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>());
            Assert.Equal(HttpStatusCode.OK, (await byAdmin.GetAsync($"api/v1/jobs/{id}/spark-ui/jobs/")).StatusCode);
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
    public async Task Paths_that_try_to_leave_the_ui_are_refused_with_400_and_reach_nothing_upstream()
    {
        using var admin = _gateway.Client();
        var log = fixture.NewRequestLog();
        var id = await SparkJobs.StartAsync(admin, log);
        try
        {
            var cookies = new CookieContainer();
            using (await SparkJobs.BrowserAsync(admin, id, cookies))
            {
            }
            var cookie = cookies.GetCookieHeader(new Uri($"{_gateway.UiUrl}/api/v1/jobs/{id}/spark-ui/"));
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

            // On both origins: the API origin's redirect must not carry an escape either.
            foreach (var origin in new[] { _gateway.UiUrl, _gateway.Url })
            {
                foreach (var target in attempts)
                {
                    var (status, response) = await RawHttp.SendAsync(origin, "GET", target, origin == _gateway.Url ? _gateway.AdminToken : null, cookie);
                    Assert.True(status == 400, $"{origin} {target} answered {status}:\n{response}");
                }
            }
            var (_, named) = await RawHttp.SendAsync(_gateway.UiUrl, "GET", $"{p}/%2e%2e/", null, cookie);
            Assert.Contains("\"path\"", named, StringComparison.Ordinal);
            Assert.Equal(before, SparkJobs.Requests(log).Count);

            // The same client, inside the UI: forwarded, which shows the log above would have seen the others.
            var (inside, _) = await RawHttp.SendAsync(_gateway.UiUrl, "GET", $"{p}/jobs/?id=1", null, cookie);
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
            queued = (await owner.SubmitAsync(new JsonObject { ["manifest"] = SparkJobs.Manifest("later"), ["queue"] = "default" })).Id();
            using var early = await SparkJobs.BrowserAsync(owner, queued);
            var notYet = await Accepting(early, $"api/v1/jobs/{queued}/spark-ui/", "application/json");
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
        using var browser = await SparkJobs.BrowserAsync(owner, id);
        await SparkJobs.StopAsync(owner, id);
        var page = await Accepting(browser, $"api/v1/jobs/{id}/spark-ui/jobs/", "text/html,application/xhtml+xml,*/*;q=0.8");
        var json = await Accepting(browser, $"api/v1/jobs/{id}/spark-ui/jobs/", "application/json");

        Assert.Equal(HttpStatusCode.Conflict, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("has ended", html, StringComparison.Ordinal);
        // The UI origin has no logs: the page links the job in the dashboard, on the API origin.
        Assert.Contains($"href=\"{_gateway.Url}/jobs/{id}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Conflict, json.StatusCode);
        Assert.Equal("application/problem+json", json.Content.Headers.ContentType?.MediaType);
        var ended = JsonNode.Parse(await json.Content.ReadAsStringAsync())!;
        Assert.Equal("Cancelled", ended["state"]!.GetValue<string>());
        Assert.Equal($"{_gateway.Url}/api/v1/jobs/{id}/logs", ended["logs"]!.GetValue<string>());
    }

    private static Task<HttpResponseMessage> Accepting(HttpClient client, string path, string accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd(accept);
        return client.SendAsync(request);
    }
}
