using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gantry.Testing;

namespace Gantry.Server.Tests.Identity;

/// <summary>Who may submit where: a queue's allowedUsers and allowedGroups; a refusal is a 403 naming the queue.</summary>
public sealed class QueueAccessTests : IAsyncLifetime
{
    private TestGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await TestGateway.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task A_user_outside_the_allowed_list_gets_403_naming_the_queue_and_one_inside_submits()
    {
        using var admin = _gateway.Client();
        var created = await admin.PostAsJsonAsync("api/v1/queues", new { name = "gpu", allowedUsers = new[] { "ann" } });
        using var ann = await _gateway.UserClientAsync("ann");
        using var bob = await _gateway.UserClientAsync("bob");

        var refused = await bob.PostAsJsonAsync("api/v1/jobs", TestJobs.Shell("true", queue: "gpu"));
        var problem = await refused.Content.ReadFromJsonAsync<JsonObject>();
        var accepted = await ann.PostAsJsonAsync("api/v1/jobs", TestJobs.Shell("true", queue: "gpu"));
        var byAdmin = await admin.PostAsJsonAsync("api/v1/jobs", TestJobs.Shell("true", queue: "gpu"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("queue 'gpu'", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("ann", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Created, byAdmin.StatusCode);
    }

    [Fact]
    public async Task Changing_the_list_applies_to_the_next_submission()
    {
        using var admin = _gateway.Client();
        (await admin.PostAsJsonAsync("api/v1/queues", new { name = "batch" })).EnsureSuccessStatusCode();
        using var bob = await _gateway.UserClientAsync("bob");
        var before = await bob.PostAsJsonAsync("api/v1/jobs", TestJobs.Shell("true", queue: "batch"));

        (await admin.PutAsJsonAsync("api/v1/queues/batch", new { name = "batch", allowedUsers = new[] { "ann" } })).EnsureSuccessStatusCode();
        var after = await bob.PostAsJsonAsync("api/v1/jobs", TestJobs.Shell("true", queue: "batch"));
        var queue = await admin.GetFromJsonAsync<JsonObject>("api/v1/queues/batch");

        Assert.Equal(HttpStatusCode.Created, before.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, after.StatusCode);
        Assert.Equal(["ann"], queue!["allowedUsers"]!.AsArray().Select(u => u!.GetValue<string>()));
        Assert.Empty(queue["allowedGroups"]!.AsArray());
    }

    [Fact]
    public async Task A_bad_entry_in_a_list_is_a_422_naming_its_index()
    {
        using var admin = _gateway.Client();

        var response = await admin.PostAsJsonAsync("api/v1/queues", new { name = "bad", allowedUsers = new[] { "ok", "Not A User" }, allowedGroups = new object[] { 7 } });
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.NotNull(problem!["errors"]!["allowedUsers[1]"]);
        Assert.NotNull(problem["errors"]!["allowedGroups[0]"]);
    }
}
