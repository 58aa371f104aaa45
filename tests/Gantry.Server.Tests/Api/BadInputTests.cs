using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Gantry.Testing;

namespace Gantry.Server.Tests.Api;

/// <summary>
/// Every kind of bad input answers a 4xx problem details naming the field, and changes
/// nothing stored. The gateway here is cordoned, so a job count is stable.
/// </summary>
public sealed class BadInputTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly TestGateway _gateway = fixture.Gateway;

    private static readonly string BillionLaughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + string.Concat(Enumerable.Range(1, 9)
        .Select(i => $"l{i}: &{(char)('a' + i)} [{string.Join(", ", Enumerable.Repeat($"*{(char)('a' + i - 1)}", 10))}]\n"));

    public static TheoryData<string, string, string, int, string> JsonBodies => new()
    {
        { "malformed JSON", "application/json", "{\"manifest\": {", 400, "body" },
        { "an array instead of an object", "application/json", "[1, 2]", 400, "body" },
        { "an empty body", "application/json", "", 400, "body" },
        { "malformed YAML", "application/yaml", "kind: Command\nspec: [unclosed", 400, "body" },
        { "two YAML documents", "application/yaml", "kind: Command\n---\nkind: Command\n", 400, "body" },
        { "an unknown content type", "text/plain", "hello", 415, "Content-Type" },
        { "an unknown kind", "application/json", """{"manifest": {"kind": "Frobnicator", "spec": {}}}""", 422, "manifest.kind" },
        { "no kind", "application/json", """{"manifest": {"spec": {"command": ["true"]}}}""", 422, "manifest.kind" },
        { "no manifest spec", "application/json", """{"manifest": {"kind": "Command"}}""", 422, "manifest.spec" },
        { "no command", "application/json", """{"manifest": {"kind": "Command", "spec": {}}}""", 422, "manifest.spec.command" },
        { "a command that is a string", "application/json", """{"manifest": {"kind": "Command", "spec": {"command": "echo hi"}}}""", 422, "manifest.spec.command" },
        { "a command item that is a number", "application/json", """{"manifest": {"kind": "Command", "spec": {"command": ["echo", 3]}}}""", 422, "manifest.spec.command[1]" },
        { "a negative cpu", "application/json", """{"manifest": {"kind": "Command", "spec": {"command": ["true"], "resources": {"cpu": "-1"}}}}""", 422, "manifest.spec.resources.cpu" },
        { "an unparsable memory", "application/json", """{"manifest": {"kind": "Command", "spec": {"command": ["true"], "resources": {"memory": "lots"}}}}""", 422, "manifest.spec.resources.memory" },
        { "a negative gpu", "application/json", """{"manifest": {"kind": "Command", "spec": {"command": ["true"], "resources": {"gpu": -2}}}}""", 422, "manifest.spec.resources.gpu" },
        { "an unknown queue", "application/json", """{"manifest": {"kind": "Command", "spec": {"command": ["true"]}}, "queue": "nope"}""", 422, "queue" },
        { "a priority that is text", "application/json", """{"manifest": {"kind": "Command", "spec": {"command": ["true"]}}, "priority": "high"}""", 422, "priority" },
        { "a label value with spaces", "application/json", """{"manifest": {"kind": "Command", "spec": {"command": ["true"]}}, "labels": {"team": "a b"}}""", 422, "labels.team" },
        { "an unknown envelope field", "application/json", """{"manifest": {"kind": "Command", "spec": {"command": ["true"]}}, "queeue": "default"}""", 422, "queeue" },
        { "a zero maxAttempts", "application/json", """{"manifest": {"kind": "Command", "spec": {"command": ["true"]}}, "maxAttempts": 0}""", 422, "maxAttempts" },
        { "a recursive YAML alias (once a stack overflow that killed the process)", "application/yaml", "kind: SparkApplication\nspec: &a [*a, *a]\n", 400, "body" },
        { "YAML aliases that explode (billion laughs)", "application/yaml", BillionLaughs, 413, "body" },
        { "YAML nested 100,000 deep", "application/yaml", new string('[', 100_000) + new string(']', 100_000), 400, "body" },
        { "JSON nested 100,000 deep", "application/json", "{\"manifest\": " + new string('[', 100_000) + new string(']', 100_000) + "}", 400, "manifest[0][0]*" },
        { "a lone surrogate in a container name (once a 500)", "application/json", """{"manifest": {"kind": "Command", "spec": {"command": ["true"], "name": "\ud800"}}}""", 400, "manifest.spec.name" },
        { "a lone surrogate in a label key", "application/json", """{"manifest": {"kind": "Command", "spec": {"command": ["true"]}}, "labels": {"\udc00": "x"}}""", 400, "labels" },
        { "a repeated key", "application/json", """{"manifest": {"kind": "Command", "spec": {"command": ["true"]}}, "queue": "a", "queue": "b"}""", 400, "queue" },
        { "too many labels", "application/json", "{\"manifest\": {\"kind\": \"Command\", \"spec\": {\"command\": [\"true\"]}}, \"labels\": {" + string.Join(",", Enumerable.Range(0, 65).Select(i => $"\"l{i}\": \"v\"")) + "}}", 413, "labels" },
        { "a Spark app with cores as text", "application/json", """{"manifest": {"apiVersion": "sparkoperator.k8s.io/v1beta2", "kind": "SparkApplication", "spec": {"type": "Scala", "sparkVersion": "3.5.0", "mainApplicationFile": "local:///x.jar", "driver": {"cores": "many"}}}}""", 422, "manifest.spec.driver.cores" },
    };

    [Theory]
    [MemberData(nameof(JsonBodies))]
    public async Task Bad_submission_answers_problem_details_naming_the_field_and_stores_nothing(string why, string contentType, string body, int status, string field)
    {
        await _gateway.SetCordonAsync(true);
        using var client = _gateway.Client();
        var before = await CountJobsAsync(client);

        var response = await client.PostAsync("api/v1/jobs", new StringContent(body, Encoding.UTF8, contentType));

        Assert.True(status == (int)response.StatusCode, $"{why}: expected {status}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        await AssertProblemNamesAsync(response, field);
        Assert.Equal(before, await CountJobsAsync(client));
    }

    [Fact]
    public async Task Every_problem_of_a_submission_is_reported_at_once()
    {
        using var client = _gateway.Client();
        var body = """{"manifest": {"kind": "Command", "spec": {"command": [], "resources": {"cpu": "-1"}}}, "queue": "nope", "bogus": 1}""";

        var response = await client.PostAsync("api/v1/jobs", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        foreach (var field in new[] { "bogus", "queue", "manifest.spec.command", "manifest.spec.resources.cpu" })
        {
            await AssertProblemNamesAsync(response, field);
        }
    }

    [Theory]
    [InlineData("text/plain", "api/v1/jobs/aaaaaaaaaaaa/logs")]
    [InlineData("text/event-stream", "api/v1/jobs/aaaaaaaaaaaa/watch")]
    [InlineData("text/plain", "api/v1/jobs?limit=-1")]
    public async Task Problem_details_are_written_whatever_the_Accept_header_asks_for(string accept, string url)
    {
        using var client = _gateway.Client();
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd(accept);

        var response = await client.SendAsync(request);

        Assert.True((int)response.StatusCode is 400 or 404, $"answered {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_body_over_the_size_limit_answers_413()
    {
        using var client = _gateway.Client();
        var before = await CountJobsAsync(client);
        var envelope = TestJobs.Shell("true");
        envelope["manifest"]!["spec"]!["env"] = new JsonObject { ["BIG"] = new string('x', 2 * 1024 * 1024) };

        var response = await client.PostAsJsonAsync("api/v1/jobs", envelope);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await AssertProblemNamesAsync(response, "body");
        Assert.Equal(before, await CountJobsAsync(client));
    }

    [Theory]
    [InlineData("api/v1/jobs?cursor=not-a-cursor", "cursor")]
    [InlineData("api/v1/jobs?cursor=djE6LTU", "cursor")]
    [InlineData("api/v1/jobs?limit=0", "limit")]
    [InlineData("api/v1/jobs?limit=abc", "limit")]
    [InlineData("api/v1/jobs?state=Sleeping", "state")]
    [InlineData("api/v1/jobs?labelSelector=a%20b%3Dc", "labelSelector")]
    public async Task Bad_list_parameters_answer_400_naming_the_parameter(string url, string field)
    {
        using var client = _gateway.Client();

        var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertProblemNamesAsync(response, field);
    }

    [Theory]
    [InlineData("GET", "api/v1/jobs/aaaaaaaaaaaa")]
    [InlineData("GET", "api/v1/jobs/not-an-id")]
    [InlineData("GET", "api/v1/jobs/aaaaaaaaaaaa/events")]
    [InlineData("GET", "api/v1/jobs/aaaaaaaaaaaa/logs")]
    [InlineData("GET", "api/v1/jobs/aaaaaaaaaaaa/explain")]
    [InlineData("GET", "api/v1/jobs/aaaaaaaaaaaa/watch")]
    [InlineData("POST", "api/v1/jobs/aaaaaaaaaaaa/cancel")]
    [InlineData("GET", "api/v1/queues/nope")]
    [InlineData("GET", "api/v1/clusters/nope")]
    [InlineData("POST", "api/v1/clusters/nope/cordon")]
    [InlineData("GET", "api/v1/no-such-path")]
    public async Task Unknown_ids_answer_404_problem_details(string method, string url)
    {
        using var client = _gateway.Client();

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_unknown_replica_answers_404_naming_replica()
    {
        using var client = _gateway.Client();
        await _gateway.SetCordonAsync(false);
        var job = await client.SubmitAsync(TestJobs.Shell("true"));
        await client.WaitForEndAsync(job.Id());

        var response = await client.GetAsync($"api/v1/jobs/{job.Id()}/logs?replica=worker-7");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await AssertProblemNamesAsync(response, "replica");
    }

    [Fact]
    public async Task A_bad_idempotency_key_answers_400_naming_the_header()
    {
        using var client = _gateway.Client();
        var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/jobs") { Content = JsonContent.Create(TestJobs.Shell("true")) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", new string('k', 300));

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertProblemNamesAsync(response, "Idempotency-Key");
    }

    internal static async Task AssertProblemNamesAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal((int)response.StatusCode, problem["status"]!.GetValue<int>());
        var errors = problem["errors"]?.AsObject();
        // A field ending in * names a path prefix (a too-deep document is named where it went too deep).
        var named = field.EndsWith('*')
            ? errors?.Any(e => e.Key.StartsWith(field.TrimEnd('*'), StringComparison.Ordinal)) == true
            : errors?.ContainsKey(field) == true;
        Assert.True(named, $"problem details do not name '{field}': {problem.ToJsonString()}");
    }

    private static async Task<int> CountJobsAsync(HttpClient client)
    {
        var count = 0;
        string? cursor = null;
        do
        {
            var page = JsonNode.Parse(await client.GetStringAsync("api/v1/jobs?limit=500" + (cursor is null ? "" : $"&cursor={cursor}")))!;
            count += page["items"]!.AsArray().Count;
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);
        return count;
    }
}
