using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Gantry.Testing;

namespace Gantry.Server.Tests.Api;

public sealed class AuthTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly TestGateway _gateway = fixture.Gateway;

    [Theory]
    [InlineData(null)]
    [InlineData("gty_0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task Requests_without_a_valid_bearer_token_answer_401_problem_details(string? authorization)
    {
        using var client = _gateway.AnonymousClient();
        var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/jobs");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization.StartsWith("Basic", StringComparison.Ordinal) ? authorization : $"Bearer {authorization}");
        }

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_user_sees_and_cancels_only_their_own_jobs_and_an_admin_sees_all()
    {
        await _gateway.SetCordonAsync(true);
        using var ann = await _gateway.UserClientAsync("ann");
        using var bob = await _gateway.UserClientAsync("bob");
        using var admin = _gateway.Client();
        var annJob = await ann.SubmitAsync(TestJobs.Shell("true"));
        var bobJob = await bob.SubmitAsync(TestJobs.Shell("true"));

        var annList = JsonNode.Parse(await ann.GetStringAsync("api/v1/jobs"))!["items"]!.AsArray();
        Assert.All(annList, j => Assert.Equal("ann", j!["owner"]!.GetValue<string>()));
        Assert.Contains(annList, j => j!["id"]!.GetValue<string>() == annJob.Id());
        Assert.Equal(HttpStatusCode.NotFound, (await ann.GetAsync($"api/v1/jobs/{bobJob.Id()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ann.PostAsync($"api/v1/jobs/{bobJob.Id()}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ann.GetAsync("api/v1/jobs?owner=bob")).StatusCode);
        Assert.Equal("Queued", (await admin.GetJobAsync(bobJob.Id())).State());

        var adminList = JsonNode.Parse(await admin.GetStringAsync("api/v1/jobs?limit=500"))!["items"]!.AsArray();
        Assert.Contains(adminList, j => j!["id"]!.GetValue<string>() == annJob.Id());
        Assert.Contains(adminList, j => j!["id"]!.GetValue<string>() == bobJob.Id());
        var cancelled = await admin.PostAsync($"api/v1/jobs/{bobJob.Id()}/cancel", null);
        Assert.Equal("Cancelled", JsonNode.Parse(await cancelled.Content.ReadAsStringAsync())!["state"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("POST", "api/v1/queues")]
    [InlineData("PUT", "api/v1/queues/default")]
    [InlineData("DELETE", "api/v1/queues/default")]
    [InlineData("POST", "api/v1/clusters/local/cordon")]
    [InlineData("POST", "api/v1/users")]
    [InlineData("GET", "api/v1/users")]
    [InlineData("GET", "api/v1/audit")]
    public async Task Admin_operations_answer_403_to_a_user(string method, string url)
    {
        using var carl = await _gateway.UserClientAsync($"carl-{Guid.NewGuid().ToString("N")[..6]}");

        var response = await carl.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = new StringContent("{}", Encoding.UTF8, "application/json") });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Tokens_are_stored_hashed_never_in_plain_text()
    {
        using var admin = _gateway.Client();
        var issued = JsonNode.Parse(await (await admin.PostAsJsonAsync("api/v1/users", new { name = "dora" })).Content.ReadAsStringAsync())!;
        var token = issued["token"]!.GetValue<string>();
        var second = JsonNode.Parse(await (await admin.PostAsync("api/v1/users/dora/tokens", null)).Content.ReadAsStringAsync())!["token"]!.GetValue<string>();

        using var dora = _gateway.Client(second);
        var whoami = JsonNode.Parse(await dora.GetStringAsync("api/v1/whoami"))!;
        Assert.Equal("dora", whoami["name"]!.GetValue<string>());
        Assert.Equal("user", whoami["role"]!.GetValue<string>());

        foreach (var secret in new[] { token, second, _gateway.AdminToken })
        {
            Assert.False(await StoreFiles.ContainAsync(_gateway.DataDir, secret), "the store holds a token in plain text");
        }
    }

    [Fact]
    public async Task Creating_a_user_that_exists_answers_409_and_a_bad_name_answers_422()
    {
        using var admin = _gateway.Client();
        await admin.PostAsJsonAsync("api/v1/users", new { name = "erin" });

        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync("api/v1/users", new { name = "erin" })).StatusCode);
        var bad = await admin.PostAsJsonAsync("api/v1/users", new { name = "Not Valid!", role = "king" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        await BadInputTests.AssertProblemNamesAsync(bad, "name");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("api/v1/users/nobody/tokens", null)).StatusCode);
    }

    [Fact]
    public async Task The_admin_token_file_is_readable_by_its_owner_only()
    {
        var mode = File.GetUnixFileMode(Path.Combine(_gateway.DataDir, "admin.token"));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
    }
}
