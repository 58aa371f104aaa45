using System.Net;
using Gantry.Server.Hosting;
using Gantry.Server.SparkUi;
using Gantry.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gantry.Server.Tests.SparkUi;

/// <summary>
/// <c>Gantry:SparkUi:Origin = http://*.ui.gantry.test</c>: each job's UI lives on its own host,
/// links and redirects name that host, and a host answers for its own job only, whatever cookie
/// comes with the request; the shared UI listener's own host serves no UI then.
/// </summary>
public sealed class PerJobOriginTests(PerJobOriginFixture fixture) : IClassFixture<PerJobOriginFixture>
{
    private readonly TestGateway _gateway = fixture.Gateway;

    private static string Host(string id) => SparkUiOrigin.WithFirstLabel(PerJobOriginFixture.Origin, id);

    [Fact]
    public async Task Links_and_redirects_name_the_jobs_own_host_and_its_ui_opens_there()
    {
        using var owner = await _gateway.UserClientAsync("pia");
        var log = fixture.NewRequestLog();
        var id = await SparkJobs.StartAsync(owner, log, fixture.UiPort);
        try
        {
            var link = new Uri(await SparkJobs.LinkAsync(owner, id));
            Assert.Equal($"{id}.ui.gantry.test", link.Host);
            Assert.Equal($"/api/v1/jobs/{id}/spark-ui-open", link.AbsolutePath);

            using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(_gateway.Url + "/") };
            var redirect = await noRedirects.GetAsync($"api/v1/jobs/{id}/spark-ui/jobs/?id=1");
            Assert.Equal(HttpStatusCode.TemporaryRedirect, redirect.StatusCode);
            Assert.Equal(new Uri($"{Host(id)}/api/v1/jobs/{id}/spark-ui/jobs/?id=1"), redirect.Headers.Location);

            var cookies = new CookieContainer();
            using var browser = await SparkJobs.BrowserAsync(owner, id, cookies, fixture.UiPort);
            var before = SparkJobs.Requests(log).Count;
            var page = await browser.GetAsync($"api/v1/jobs/{id}/spark-ui/jobs/");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal(before + 1, SparkJobs.Requests(log).Count);
            // The cookie belongs to the job's host alone (host-only: no Domain attribute).
            var cookie = Assert.Single(cookies.GetAllCookies());
            Assert.Equal($"{id}.ui.gantry.test", cookie.Domain);
            Assert.Empty(cookies.GetCookies(new Uri($"{Host("abcdefghijkl")}/api/v1/jobs/abcdefghijkl/spark-ui/")));
        }
        finally
        {
            await SparkJobs.StopAsync(owner, id);
        }
    }

    [Fact]
    public async Task A_jobs_host_answers_for_that_job_only_even_with_another_jobs_good_cookie()
    {
        using var owner = await _gateway.UserClientAsync("quin");
        var firstLog = fixture.NewRequestLog();
        var secondLog = fixture.NewRequestLog();
        var first = await SparkJobs.StartAsync(owner, firstLog, fixture.UiPort);
        var second = await SparkJobs.StartAsync(owner, secondLog, fixture.UiPort);
        try
        {
            var tickets = _gateway.Services.GetRequiredService<SparkUiTickets>();
            var secondCookie = tickets.IssueCookie(second, "quin", DateTimeOffset.UtcNow.AddMinutes(5));
            using var raw = new HttpClient(SparkJobs.Handler(new CookieContainer(), fixture.UiPort)) { Timeout = TimeSpan.FromSeconds(30) };
            async Task<HttpStatusCode> Get(string url)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.Add("Cookie", $"{SparkUiCookie.Name}={secondCookie}");
                return (await raw.SendAsync(request)).StatusCode;
            }
            var before = SparkJobs.Requests(secondLog).Count;

            // On its own host the second job's cookie opens its UI ...
            Assert.Equal(HttpStatusCode.OK, await Get($"{Host(second)}/api/v1/jobs/{second}/spark-ui/jobs/"));
            // ... and nowhere else: not from the first job's host (where a script of the first job runs),
            // not from the listener's shared host, not on a host that names no job.
            Assert.Equal(HttpStatusCode.NotFound, await Get($"{Host(first)}/api/v1/jobs/{second}/spark-ui/jobs/"));
            Assert.Equal(HttpStatusCode.NotFound, await Get($"{_gateway.UiUrl}/api/v1/jobs/{second}/spark-ui/jobs/"));
            Assert.Equal(HttpStatusCode.NotFound, await Get($"http://not-a-job.ui.gantry.test/api/v1/jobs/{second}/spark-ui/jobs/"));
            Assert.Equal(HttpStatusCode.NotFound, await Get($"{Host(first)}/api/v1/jobs/{second}/spark-ui-open?ticket=x"));
            Assert.Equal(before + 1, SparkJobs.Requests(secondLog).Count);
            // A job's host is still only a UI origin: no API there.
            Assert.Equal(HttpStatusCode.NotFound, await Get($"{Host(first)}/api/v1/jobs"));
        }
        finally
        {
            await SparkJobs.StopAsync(owner, first);
            await SparkJobs.StopAsync(owner, second);
        }
    }

    [Theory]
    [InlineData("https://ui.*.gantry.example")]
    [InlineData("https://*.*.gantry.example")]
    [InlineData("https://*ui.gantry.example")]
    [InlineData("https://*.ui.gantry.example/path")]
    public async Task A_wildcard_anywhere_but_the_whole_first_label_stops_the_start_naming_the_key(string origin)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Gantry:DataDir"] = Path.Combine(Path.GetTempPath(), "gantry-bad-" + Guid.NewGuid().ToString("N")),
            ["Gantry:SparkUi:Origin"] = origin,
        };

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => GantryApp.BuildAsync([], settings));

        Assert.Contains(error.Failures, f => f.StartsWith("Gantry:SparkUi:Origin", StringComparison.Ordinal));
    }
}
