using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Gantry.Server.SparkUi;
using Gantry.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gantry.Server.Tests.SparkUi;

/// <summary>
/// The UI origin apart from the API origin: it serves Spark UIs and nothing else; the API origin
/// serves no UI; the UI cookie is host-only, HttpOnly, SameSite=Strict and good for GET/HEAD of one
/// job's UI; signed links expire and refuse tampering; the API origin sends its security headers.
/// </summary>
public sealed class SparkUiOriginTests(SparkUiFixture fixture) : IClassFixture<SparkUiFixture>
{
    private readonly TestGateway _gateway = fixture.Gateway;

    [Fact]
    public async Task The_ui_origin_serves_only_spark_uis_never_the_api_the_dashboard_or_a_ui_for_a_bearer_token()
    {
        using var onUi = new HttpClient { BaseAddress = new Uri(_gateway.UiUrl + "/") };
        onUi.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _gateway.AdminToken);
        using var admin = _gateway.Client();
        var id = await SparkJobs.StartAsync(admin, fixture.NewRequestLog());
        try
        {
            foreach (var path in new[] { "", "jobs", "index.html", "api/v1/jobs", $"api/v1/jobs/{id}", $"api/v1/jobs/{id}/logs", "api/v1/users", "openapi/v1.json", "healthz", "readyz", "metrics" })
            {
                var response = await onUi.GetAsync(path);
                Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"/{path} on the UI origin answered {(int)response.StatusCode}");
            }
            Assert.Equal(HttpStatusCode.NotFound, (await onUi.PostAsJsonAsync("api/v1/jobs", TestJobs.Shell("true"))).StatusCode);
            // The bearer token means nothing there: only a UI cookie opens a UI.
            Assert.Equal(HttpStatusCode.Unauthorized, (await onUi.GetAsync($"api/v1/jobs/{id}/spark-ui/jobs/")).StatusCode);
        }
        finally
        {
            await SparkJobs.StopAsync(admin, id);
        }
    }

    [Fact]
    public async Task The_api_origin_serves_no_ui_content_and_redirects_the_design_path_to_the_ui_origin()
    {
        using var admin = _gateway.Client();
        var log = fixture.NewRequestLog();
        var id = await SparkJobs.StartAsync(admin, log);
        try
        {
            using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(_gateway.Url + "/") };
            noRedirects.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _gateway.AdminToken);
            var before = SparkJobs.Requests(log).Count;

            var get = await noRedirects.GetAsync($"api/v1/jobs/{id}/spark-ui/jobs/?id=1");
            var head = await noRedirects.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"api/v1/jobs/{id}/spark-ui/"));
            var post = await noRedirects.PostAsync($"api/v1/jobs/{id}/spark-ui/jobs/", null);

            Assert.Equal(HttpStatusCode.TemporaryRedirect, get.StatusCode);
            Assert.Equal(new Uri($"{_gateway.UiUrl}/api/v1/jobs/{id}/spark-ui/jobs/?id=1"), get.Headers.Location);
            Assert.Equal(HttpStatusCode.TemporaryRedirect, head.StatusCode);
            Assert.DoesNotContain("Spark", await get.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
            Assert.Equal(before, SparkJobs.Requests(log).Count);
        }
        finally
        {
            await SparkJobs.StopAsync(admin, id);
        }
    }

    [Fact]
    public async Task The_ui_cookie_is_host_only_httponly_strict_and_opens_GET_and_HEAD_of_that_one_jobs_ui_only()
    {
        using var owner = await _gateway.UserClientAsync("cora");
        var log = fixture.NewRequestLog();
        var id = await SparkJobs.StartAsync(owner, log);
        var second = await SparkJobs.StartAsync(owner, fixture.NewRequestLog());
        try
        {
            using var raw = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false });
            var opened = await raw.GetAsync(await SparkJobs.LinkAsync(owner, id));
            Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
            Assert.Contains($"url=/api/v1/jobs/{id}/spark-ui/", await opened.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal("no-referrer", opened.Headers.GetValues("Referrer-Policy").Single());
            var setCookie = Assert.Single(opened.Headers.GetValues("Set-Cookie"));
            var cookie = setCookie.Split(';')[0];
            Assert.StartsWith($"{SparkUiCookie.Name}=", cookie, StringComparison.Ordinal);
            Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains($"path=/api/v1/jobs/{id}/spark-ui", setCookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("max-age=1800", setCookie, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("domain=", setCookie, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(owner.DefaultRequestHeaders.Authorization!.Parameter!, setCookie, StringComparison.Ordinal);

            Task<HttpResponseMessage> Send(HttpMethod method, string url)
            {
                var request = new HttpRequestMessage(method, url);
                request.Headers.Add("Cookie", cookie);
                return raw.SendAsync(request);
            }
            var ui = $"{_gateway.UiUrl}/api/v1/jobs";
            var before = SparkJobs.Requests(log).Count;
            Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Get, $"{ui}/{id}/spark-ui/jobs/")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Head, $"{ui}/{id}/spark-ui/jobs/")).StatusCode);
            Assert.Equal(before + 2, SparkJobs.Requests(log).Count);

            Assert.Equal(HttpStatusCode.MethodNotAllowed, (await Send(HttpMethod.Post, $"{ui}/{id}/spark-ui/jobs/")).StatusCode);
            Assert.Equal(HttpStatusCode.MethodNotAllowed, (await Send(HttpMethod.Delete, $"{ui}/{id}/spark-ui/jobs/")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await Send(HttpMethod.Get, $"{ui}/{second}/spark-ui/jobs/")).StatusCode);
            Assert.Equal(before + 2, SparkJobs.Requests(log).Count);

            // On the API origin the cookie authenticates nothing.
            var api = $"{_gateway.Url}/api/v1/jobs";
            Assert.Equal(HttpStatusCode.Unauthorized, (await Send(HttpMethod.Get, api)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await Send(HttpMethod.Get, $"{api}/{id}")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await Send(HttpMethod.Post, $"{api}/{id}/cancel")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await Send(HttpMethod.Post, $"{api}/{id}/spark-ui/link")).StatusCode);
            Assert.Equal("Running", (await owner.GetJobAsync(id)).State());
        }
        finally
        {
            await SparkJobs.StopAsync(owner, id);
            await SparkJobs.StopAsync(owner, second);
        }
    }

    [Fact]
    public async Task Expired_tampered_misdirected_and_other_users_links_and_cookies_are_refused()
    {
        using var owner = await _gateway.UserClientAsync("vera");
        await _gateway.UserClientAsync("walt");
        var id = await SparkJobs.StartAsync(owner, fixture.NewRequestLog());
        var other = (await owner.SubmitAsync(TestJobs.Shell("true"))).Id();
        try
        {
            var tickets = _gateway.Services.GetRequiredService<SparkUiTickets>();
            var link = new Uri(await SparkJobs.LinkAsync(owner, id));
            var ticket = Uri.UnescapeDataString(link.Query["?ticket=".Length..]);
            var open = $"{_gateway.UiUrl}/api/v1/jobs/{id}/spark-ui-open?ticket=";
            var past = DateTimeOffset.UtcNow.AddSeconds(-1);
            var future = DateTimeOffset.UtcNow.AddMinutes(5);
            using var raw = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false });

            async Task<HttpStatusCode> Open(string url) => (await raw.GetAsync(url)).StatusCode;
            var tampered = ticket[..^3] + (ticket[^3] == 'A' ? 'B' : 'A') + ticket[^2..];
            Assert.Equal(HttpStatusCode.Forbidden, await Open(open + Uri.EscapeDataString(tickets.IssueLink(id, "vera", past))));
            Assert.Equal(HttpStatusCode.Forbidden, await Open(open + Uri.EscapeDataString(tampered)));
            Assert.Equal(HttpStatusCode.Forbidden, await Open(open));
            Assert.Equal(HttpStatusCode.Forbidden, await Open($"{_gateway.UiUrl}/api/v1/jobs/{other}/spark-ui-open?ticket={Uri.EscapeDataString(ticket)}"));
            // A cookie's token is not a link's ticket: the two are signed for different purposes.
            Assert.Equal(HttpStatusCode.Forbidden, await Open(open + Uri.EscapeDataString(tickets.IssueCookie(id, "vera", future))));
            // Signed for a user who may not see the job: the API's 404, not the UI.
            Assert.Equal(HttpStatusCode.NotFound, await Open(open + Uri.EscapeDataString(tickets.IssueLink(id, "walt", future))));
            Assert.Equal(HttpStatusCode.Forbidden, await Open(open + Uri.EscapeDataString(tickets.IssueLink(id, "nobody", future))));
            Assert.Equal(HttpStatusCode.OK, await Open(link.ToString()));

            async Task<HttpStatusCode> WithCookie(string value)
            {
                var request = new HttpRequestMessage(HttpMethod.Get, $"{_gateway.UiUrl}/api/v1/jobs/{id}/spark-ui/jobs/");
                request.Headers.Add("Cookie", $"{SparkUiCookie.Name}={value}");
                return (await raw.SendAsync(request)).StatusCode;
            }
            Assert.Equal(HttpStatusCode.OK, await WithCookie(tickets.IssueCookie(id, "vera", future)));
            Assert.Equal(HttpStatusCode.Unauthorized, await WithCookie(tickets.IssueCookie(id, "vera", past)));
            Assert.Equal(HttpStatusCode.Unauthorized, await WithCookie(ticket));
            Assert.Equal(HttpStatusCode.Unauthorized, await WithCookie(tickets.IssueCookie(other, "vera", future)));
            Assert.Equal(HttpStatusCode.NotFound, await WithCookie(tickets.IssueCookie(id, "walt", future)));
            // A cookie planted by a script beside the real one does not lock the viewer out.
            var both = new HttpRequestMessage(HttpMethod.Get, $"{_gateway.UiUrl}/api/v1/jobs/{id}/spark-ui/jobs/");
            both.Headers.Add("Cookie", $"{SparkUiCookie.Name}=planted; {SparkUiCookie.Name}={tickets.IssueCookie(id, "vera", future)}");
            Assert.Equal(HttpStatusCode.OK, (await raw.SendAsync(both)).StatusCode);

            // A browser without the cookie gets a page that leads back to the dashboard.
            var page = new HttpRequestMessage(HttpMethod.Get, $"{_gateway.UiUrl}/api/v1/jobs/{id}/spark-ui/");
            page.Headers.Accept.ParseAdd("text/html");
            var refused = await raw.SendAsync(page);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Contains($"href=\"{_gateway.Url}/jobs/{id}\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            await SparkJobs.StopAsync(owner, id);
        }
    }

    [Fact]
    public async Task The_api_origin_sends_a_strict_csp_and_the_usual_security_headers_on_the_dashboard_and_the_api()
    {
        using var anonymous = _gateway.AnonymousClient();
        using var admin = _gateway.Client();
        foreach (var response in new[] { await anonymous.GetAsync(""), await admin.GetAsync("api/v1/jobs"), await anonymous.GetAsync("api/v1/jobs"), await anonymous.GetAsync("healthz") })
        {
            var csp = response.Headers.GetValues("Content-Security-Policy").Single();
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.Contains("object-src 'none'", csp, StringComparison.Ordinal);
            Assert.Contains("base-uri 'none'", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("script-src 'unsafe-inline'", csp, StringComparison.Ordinal);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
        }
        var api = await admin.GetAsync("api/v1/jobs");
        Assert.Contains("script-src 'self'", api.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }
}
