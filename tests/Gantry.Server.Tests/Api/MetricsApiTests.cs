using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Gantry.Testing;

namespace Gantry.Server.Tests.Api;

public sealed class MetricsApiTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly TestGateway _gateway = fixture.Gateway;

    // Runs inside the job: pushes with the job's own token, then proves what else that token may not do.
    private const string PushFromInside = """
        import json, os, urllib.request, urllib.error
        url, job, token = os.environ["GANTRY_URL"], os.environ["GANTRY_JOB_ID"], os.environ["GANTRY_JOB_TOKEN"]
        def call(method, path, body=None):
            data = None if body is None else json.dumps(body).encode()
            req = urllib.request.Request(url + path, data=data, method=method, headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(req) as r:
                    return r.status, r.read().decode()
            except urllib.error.HTTPError as e:
                return e.code, e.read().decode()
        points = [{"name": "loss", "value": 1.0 / (i + 1), "step": i} for i in range(5)] + [{"name": "accuracy", "value": 0.5, "step": 4}]
        print("push", *call("POST", f"/api/v1/jobs/{job}/metrics", {"metrics": points}))
        print("list", call("GET", "/api/v1/jobs")[0])
        print("read", call("GET", f"/api/v1/jobs/{job}/metrics")[0])
        print("prefix", token[:4], len(token))
        open("token.txt", "w").write(token)
        """;

    [Fact]
    public async Task A_job_pushes_its_metrics_with_its_own_token_and_that_token_opens_nothing_else()
    {
        await _gateway.SetCordonAsync(false);
        using var client = _gateway.Client();
        var job = await client.SubmitAsync(Python(PushFromInside));

        var done = await client.WaitForEndAsync(job.Id());
        var log = await client.GetStringAsync($"api/v1/jobs/{job.Id()}/logs");

        Assert.Equal("Succeeded", done.State());
        Assert.Contains("push 200 {\"accepted\":6}", log);
        Assert.Contains("list 401", log);
        Assert.Contains("read 401", log);
        Assert.Contains("prefix gjt_ 68", log);
        var items = JsonNode.Parse(await client.GetStringAsync($"api/v1/jobs/{job.Id()}/metrics"))!["items"]!.AsArray();
        Assert.Equal(["accuracy", "loss", "loss", "loss", "loss", "loss"], items.Select(i => i!["name"]!.GetValue<string>()));
        var loss = JsonNode.Parse(await client.GetStringAsync($"api/v1/jobs/{job.Id()}/metrics?name=loss"))!["items"]!.AsArray();
        Assert.Equal([1.0, 0.5, 1.0 / 3, 0.25, 0.2], loss.Select(i => i!["value"]!.GetValue<double>()));
        Assert.Equal([0L, 1, 2, 3, 4], loss.Select(i => i!["step"]!.GetValue<long>()));

        // The token the job saw is in no file the store wrote.
        var token = await File.ReadAllTextAsync(Path.Combine(_gateway.JobsDir, job.Id(), "work", "token.txt"));
        Assert.False(await StoreFiles.ContainAsync(_gateway.DataDir, token), "the store holds the job token in plain text");
    }

    [Fact]
    public async Task A_job_token_cannot_push_to_another_job()
    {
        await _gateway.SetCordonAsync(false);
        using var client = _gateway.Client();
        var victim = await client.SubmitAsync(TestJobs.Shell("true"));
        await client.WaitForEndAsync(victim.Id());
        var script = PushFromInside.Replace("f\"/api/v1/jobs/{job}/metrics\", {\"metrics\"", $"\"/api/v1/jobs/{victim.Id()}/metrics\", {{\"metrics\"", StringComparison.Ordinal);
        var job = await client.SubmitAsync(Python(script));

        await client.WaitForEndAsync(job.Id());

        Assert.Contains("push 401", await client.GetStringAsync($"api/v1/jobs/{job.Id()}/logs"));
        Assert.Empty(JsonNode.Parse(await client.GetStringAsync($"api/v1/jobs/{victim.Id()}/metrics"))!["items"]!.AsArray());
    }

    [Fact]
    public async Task The_owner_may_push_and_read_but_another_user_sees_no_such_job()
    {
        await _gateway.SetCordonAsync(true);
        using var ann = await _gateway.UserClientAsync("metrics-ann");
        using var bob = await _gateway.UserClientAsync("metrics-bob");
        var job = await ann.SubmitAsync(TestJobs.Shell("true"));

        var pushed = await ann.PostAsJsonAsync($"api/v1/jobs/{job.Id()}/metrics", new { metrics = new[] { new { name = "loss", value = 0.1, step = 1, timestamp = "2026-11-24T10:00:00Z" } } });
        var bobPush = await bob.PostAsJsonAsync($"api/v1/jobs/{job.Id()}/metrics", new { metrics = new[] { new { name = "loss", value = 9.9 } } });
        var bobRead = await bob.GetAsync($"api/v1/jobs/{job.Id()}/metrics");

        Assert.Equal(HttpStatusCode.OK, pushed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, bobPush.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, bobRead.StatusCode);
        var items = JsonNode.Parse(await ann.GetStringAsync($"api/v1/jobs/{job.Id()}/metrics"))!["items"]!.AsArray();
        var only = Assert.Single(items)!;
        Assert.Equal(0.1, only["value"]!.GetValue<double>());
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero), only["timestamp"]!.GetValue<DateTimeOffset>());
        await ann.PostAsync($"api/v1/jobs/{job.Id()}/cancel", null);
    }

    [Theory]
    [InlineData("""{"metrics": [{"name": "loss", "value": 1}, {"name": "loss", "value": "high"}]}""", "metrics[1].value")]
    [InlineData("""{"metrics": [{"name": "9lives", "value": 1}]}""", "metrics[0].name")]
    [InlineData("""{"metrics": [{"value": 1}]}""", "metrics[0].name")]
    [InlineData("""{"metrics": [{"name": "loss", "value": 1, "step": -1}]}""", "metrics[0].step")]
    [InlineData("""{"metrics": [{"name": "loss", "value": 1, "step": 1.5}]}""", "metrics[0].step")]
    [InlineData("""{"metrics": [{"name": "loss", "value": 1, "timestamp": "yesterday"}]}""", "metrics[0].timestamp")]
    [InlineData("""{"metrics": ["loss"]}""", "metrics[0]")]
    [InlineData("""{"points": []}""", "metrics")]
    public async Task Bad_observations_answer_422_naming_each_and_store_nothing(string body, string field)
    {
        using var client = _gateway.Client();
        await _gateway.SetCordonAsync(true);
        var job = await client.SubmitAsync(TestJobs.Shell("true"));

        var response = await client.PostAsync($"api/v1/jobs/{job.Id()}/metrics", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        await BadInputTests.AssertProblemNamesAsync(response, field);
        Assert.Empty(JsonNode.Parse(await client.GetStringAsync($"api/v1/jobs/{job.Id()}/metrics"))!["items"]!.AsArray());
        await client.PostAsync($"api/v1/jobs/{job.Id()}/cancel", null);
    }

    [Fact]
    public async Task Job_tokens_are_stored_hashed_and_a_made_up_one_is_refused()
    {
        using var anonymous = _gateway.AnonymousClient();
        var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/jobs/aaaaaaaaaaaa/metrics") { Content = JsonContent.Create(new { metrics = Array.Empty<object>() }) };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer gjt_" + new string('0', 64));

        var response = await anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static JsonObject Python(string script)
    {
        var envelope = TestJobs.Shell("unused");
        // Debian's interpreter: the tests run as root, so the job runs under its own uid, which cannot
        // enter a python3 found first on root's PATH (under /root, such as pyenv's).
        envelope["manifest"]!["spec"]!["command"] = new JsonArray("/usr/bin/python3", "-c", script);
        return envelope;
    }
}
