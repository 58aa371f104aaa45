using System.Net;
using System.Net.Http.Headers;
using Gantry.Server.Dashboard;
using Gantry.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Gantry.Server.Tests.Dashboard;

/// <summary>The gateway serves a built dashboard (here a small stand-in build in a temp dir) at <c>/</c>.</summary>
public sealed class DashboardTests : IAsyncLifetime
{
    private const string Asset = "assets/index-Ab12Cd34.js";
    private readonly string _build = Path.Combine(Path.GetTempPath(), "gantry-dash-" + Guid.NewGuid().ToString("N")[..8]);
    private TestGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_build, "assets"));
        await File.WriteAllTextAsync(Path.Combine(_build, "index.html"), "<!doctype html><title>Gantry</title><div id=app>stand-in build</div>");
        await File.WriteAllTextAsync(Path.Combine(_build, Asset), "console.log('x');");
        _gateway = await TestGateway.StartAsync(new Dictionary<string, string?> { ["Gantry:DashboardDir"] = _build });
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        Directory.Delete(_build, recursive: true);
    }

    [Theory]
    [InlineData("")]
    [InlineData("jobs")]
    [InlineData("jobs/j0123456789ab")]
    [InlineData("clusters")]
    public async Task Every_client_route_answers_index_html_that_is_never_cached(string path)
    {
        using var client = _gateway.AnonymousClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("stand-in build", await response.Content.ReadAsStringAsync());
        Assert.True(response.Headers.CacheControl?.NoCache, $"Cache-Control was '{response.Headers.CacheControl}'");
    }

    [Fact]
    public async Task Hashed_assets_are_cached_for_a_year()
    {
        using var client = _gateway.AnonymousClient();

        using var response = await client.GetAsync(Asset);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromDays(365), response.Headers.CacheControl?.MaxAge);
        Assert.True(response.Headers.CacheControl?.Public);
    }

    [Theory]
    [InlineData("api/v1/nothing-here")]
    [InlineData("api/v1/jobs/j0123456789ab/nothing")]
    [InlineData("assets/missing.js")]
    public async Task An_unknown_api_path_or_file_is_a_404_problem_not_the_app(string path)
    {
        using var client = _gateway.Client();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("stand-in build", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_api_still_answers_under_the_dashboard()
    {
        using var client = _gateway.Client();

        using var response = await client.GetAsync("api/v1/whoami");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" }, response.Content.Headers.ContentType);
    }

    [Fact]
    public async Task Without_a_build_the_root_says_the_dashboard_was_not_built_and_how_to_build_it()
    {
        var empty = Directory.CreateTempSubdirectory("gantry-nodash-");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.UseDashboard(empty.FullName);
        await app.StartAsync();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

            var page = await client.GetStringAsync("/");

            Assert.Contains("was not built", page);
            Assert.Contains("npm", page);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/jobs")).StatusCode);
        }
        finally
        {
            await app.StopAsync();
            empty.Delete(recursive: true);
        }
    }
}
