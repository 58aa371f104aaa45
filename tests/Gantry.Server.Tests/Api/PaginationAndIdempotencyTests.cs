using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gantry.Testing;

namespace Gantry.Server.Tests.Api;

public sealed class PaginationAndIdempotencyTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly TestGateway _gateway = fixture.Gateway;

    [Fact]
    public async Task Paging_while_jobs_are_inserted_returns_every_earlier_job_exactly_once()
    {
        await _gateway.SetCordonAsync(true);
        using var client = _gateway.Client();
        var label = Guid.NewGuid().ToString("N")[..10];
        var original = new HashSet<string>();
        for (var i = 0; i < 60; i++)
        {
            original.Add((await client.SubmitAsync(TestJobs.Shell("true", labels: new JsonObject { ["batch"] = label }))).Id());
        }

        var seen = new List<string>();
        string? cursor = null;
        var page = 0;
        do
        {
            var body = JsonNode.Parse(await client.GetStringAsync($"api/v1/jobs?limit=7&labelSelector=batch%3D{label}" + (cursor is null ? "" : $"&cursor={cursor}")))!;
            seen.AddRange(body["items"]!.AsArray().Select(j => j!["id"]!.GetValue<string>()));
            cursor = body["nextCursor"]?.GetValue<string>();
            // New jobs arrive between pages, as they would from other users.
            await client.SubmitAsync(TestJobs.Shell("true", labels: new JsonObject { ["batch"] = label }));
            await client.SubmitAsync(TestJobs.Shell("true", labels: new JsonObject { ["batch"] = label }));
            page++;
        }
        while (cursor is not null && page < 100);

        // Jobs inserted meanwhile are newer than every cursor: the pages hold exactly the original jobs.
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(original.Order(), seen.Order());
    }

    [Fact]
    public async Task Filters_combine_and_the_list_is_newest_first()
    {
        await _gateway.SetCordonAsync(true);
        using var client = _gateway.Client();
        var tag = Guid.NewGuid().ToString("N")[..10];
        var a = await client.SubmitAsync(TestJobs.Shell("true", labels: new JsonObject { ["tag"] = tag, ["app.kubernetes.io/part-of"] = "x" }));
        var b = await client.SubmitAsync(TestJobs.Shell("true", labels: new JsonObject { ["tag"] = tag }));
        await client.PostAsync($"api/v1/jobs/{b.Id()}/cancel", null);

        var queued = JsonNode.Parse(await client.GetStringAsync($"api/v1/jobs?state=Queued&kind=Command&queue=default&labelSelector=tag%3D{tag}"))!["items"]!.AsArray();
        var both = JsonNode.Parse(await client.GetStringAsync($"api/v1/jobs?state=Queued,Cancelled&labelSelector=tag%3D{tag}"))!["items"]!.AsArray();
        var partOf = JsonNode.Parse(await client.GetStringAsync($"api/v1/jobs?labelSelector=tag%3D{tag},app.kubernetes.io/part-of"))!["items"]!.AsArray();

        Assert.Equal([a.Id()], queued.Select(j => j!["id"]!.GetValue<string>()));
        Assert.Equal([b.Id(), a.Id()], both.Select(j => j!["id"]!.GetValue<string>()));
        Assert.Equal([a.Id()], partOf.Select(j => j!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_retry_with_the_same_idempotency_key_returns_the_first_job()
    {
        using var client = _gateway.Client();
        var key = Guid.NewGuid().ToString();

        var first = await SubmitWithKeyAsync(client, key, TestJobs.Shell("echo once"));
        var second = await SubmitWithKeyAsync(client, key, TestJobs.Shell("echo once"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.True(second.Headers.Contains("Idempotent-Replayed"));
        var firstId = JsonNode.Parse(await first.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
        Assert.Equal(firstId, JsonNode.Parse(await second.Content.ReadAsStringAsync())!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Concurrent_retries_with_one_key_create_one_job()
    {
        await _gateway.SetCordonAsync(true);
        using var client = _gateway.Client();
        var key = Guid.NewGuid().ToString();
        var label = Guid.NewGuid().ToString("N")[..10];
        var envelope = TestJobs.Shell("true", labels: new JsonObject { ["key"] = label });

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => SubmitWithKeyAsync(client, key, envelope)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var ids = await Task.WhenAll(responses.Select(async r => JsonNode.Parse(await r.Content.ReadAsStringAsync())!["id"]!.GetValue<string>()));
        Assert.Single(ids.Distinct());
        var stored = JsonNode.Parse(await client.GetStringAsync($"api/v1/jobs?labelSelector=key%3D{label}"))!["items"]!.AsArray();
        Assert.Single(stored);
    }

    [Fact]
    public async Task Reusing_a_key_for_a_different_request_answers_409()
    {
        using var client = _gateway.Client();
        var key = Guid.NewGuid().ToString();
        await SubmitWithKeyAsync(client, key, TestJobs.Shell("echo one"));

        var clash = await SubmitWithKeyAsync(client, key, TestJobs.Shell("echo two"));

        Assert.Equal(HttpStatusCode.Conflict, clash.StatusCode);
        Assert.Equal("application/problem+json", clash.Content.Headers.ContentType?.MediaType);
    }

    private static Task<HttpResponseMessage> SubmitWithKeyAsync(HttpClient client, string key, JsonObject envelope)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/jobs") { Content = JsonContent.Create(envelope) };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }
}
