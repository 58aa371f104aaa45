using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Gantry.Testing;

namespace Gantry.Server.Tests.Api;

/// <summary><c>GET /api/v1/jobs/watch</c>: the list's live updates, filtered like the list.</summary>
public sealed class JobListWatchTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly TestGateway _gateway = fixture.Gateway;

    [Fact]
    public async Task List_watch_says_ready_then_sends_each_change_of_the_jobs_that_pass_its_filters()
    {
        using var client = _gateway.Client();
        var run = Unique();
        using var watch = await SseStream.OpenAsync(client, $"api/v1/jobs/watch?labelSelector=run%3D{run}");
        var ready = await watch.NextAsync();

        var job = await client.SubmitAsync(TestJobs.Shell("sleep 0.2", labels: new JsonObject { ["run"] = run }));
        var other = await client.SubmitAsync(TestJobs.Shell("true", labels: new JsonObject { ["run"] = "someone-else" }));
        var events = await watch.UntilAsync(e => e.Data["job"]!["state"]!.GetValue<string>() == "Succeeded" && e.Data["event"]!["to"]!.GetValue<string>() == "Succeeded");

        Assert.Equal("ready", ready.Event);
        Assert.All(events, e => Assert.Equal("job", e.Event));
        Assert.All(events, e => Assert.Equal(job.Id(), e.Data["job"]!["id"]!.GetValue<string>()));
        Assert.Equal(["Queued", "Dispatching", "Running", "Succeeded"], events.Select(e => e.Data["event"]!["to"]!.GetValue<string>()));
        Assert.Equal(events.Select(e => e.Id).Order(), events.Select(e => e.Id));
        Assert.True(events[0].Id > ready.Id);
        await client.WaitForEndAsync(other.Id());
    }

    [Fact]
    public async Task A_job_leaving_the_watched_state_is_sent_once_more_so_a_client_can_drop_it()
    {
        using var client = _gateway.Client();
        var run = Unique();
        using var watch = await SseStream.OpenAsync(client, $"api/v1/jobs/watch?state=Running&labelSelector=run%3D{run}");
        await watch.NextAsync();

        var job = await client.SubmitAsync(TestJobs.Shell("sleep 0.3", labels: new JsonObject { ["run"] = run }));
        var events = await watch.UntilAsync(e => e.Data["event"]!["to"]!.GetValue<string>() == "Succeeded");

        Assert.Contains(events, e => e.Data["event"]!["to"]!.GetValue<string>() == "Running");
        Assert.Equal("Running", events[^1].Data["event"]!["from"]!.GetValue<string>());
        Assert.Equal("Succeeded", events[^1].Data["job"]!["state"]!.GetValue<string>());
        Assert.All(events, e => Assert.Equal(job.Id(), e.Data["job"]!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task List_watch_resumes_after_Last_Event_ID()
    {
        using var client = _gateway.Client();
        var run = Unique();
        var job = await client.SubmitAsync(TestJobs.Shell("true", labels: new JsonObject { ["run"] = run }));
        await client.WaitForEndAsync(job.Id());
        var history = JsonNode.Parse(await client.GetStringAsync($"api/v1/jobs/{job.Id()}/events"))!["items"]!.AsArray();

        using var watch = await SseStream.OpenAsync(client, $"api/v1/jobs/watch?labelSelector=run%3D{run}",
            lastEventId: history[0]!["seq"]!.GetValue<long>());
        var ready = await watch.NextAsync();
        var events = await watch.UntilAsync(e => e.Data["event"]!["to"]!.GetValue<string>() == "Succeeded");

        Assert.Equal(history[0]!["seq"]!.GetValue<long>(), ready.Id);
        Assert.Equal(["Dispatching", "Running", "Succeeded"], events.Select(e => e.Data["event"]!["to"]!.GetValue<string>()));
        Assert.Equal(history.Skip(1).Select(e => e!["seq"]!.GetValue<long>()), events.Select(e => e.Id));
    }

    [Fact]
    public async Task A_user_may_not_watch_another_users_jobs()
    {
        using var ann = await _gateway.UserClientAsync(Unique());

        using var response = await ann.GetAsync("api/v1/jobs/watch?owner=admin", HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_bad_filter_is_a_400_naming_it()
    {
        using var client = _gateway.Client();

        using var response = await client.GetAsync("api/v1/jobs/watch?state=Sleeping", HttpCompletionOption.ResponseHeadersRead);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(problem["errors"]!["state"]);
    }

    private static string Unique() => "w" + Guid.NewGuid().ToString("N")[..10];

    private sealed record SseEvent(long Id, string Event, JsonObject Data);

    /// <summary>An open SSE response read event by event, each read bounded so a missing event fails the test instead of hanging it.</summary>
    private sealed class SseStream : IDisposable
    {
        private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
        private readonly HttpResponseMessage _response;
        private readonly StreamReader _reader;

        private SseStream(HttpResponseMessage response, Stream body)
        {
            _response = response;
            _reader = new StreamReader(body);
        }

        public static async Task<SseStream> OpenAsync(HttpClient client, string path, long? lastEventId = null)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (lastEventId is { } id)
            {
                request.Headers.Add("Last-Event-ID", id.ToString(CultureInfo.InvariantCulture));
            }
            var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            return new SseStream(response, await response.Content.ReadAsStreamAsync());
        }

        public async Task<SseEvent> NextAsync()
        {
            long id = 0;
            var name = "message";
            JsonObject? data = null;
            while (await _reader.ReadLineAsync().WaitAsync(Wait) is { } line)
            {
                if (line.Length == 0 && data is not null)
                {
                    return new SseEvent(id, name, data);
                }
                if (line.StartsWith("id: ", StringComparison.Ordinal)) id = long.Parse(line[4..], CultureInfo.InvariantCulture);
                else if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line[7..];
                else if (line.StartsWith("data: ", StringComparison.Ordinal)) data = JsonNode.Parse(line[6..])!.AsObject();
            }
            throw new InvalidOperationException("The stream ended.");
        }

        /// <summary>Events up to and including the first that <paramref name="last"/> accepts.</summary>
        public async Task<List<SseEvent>> UntilAsync(Func<SseEvent, bool> last)
        {
            var events = new List<SseEvent>();
            while (true)
            {
                var e = await NextAsync();
                events.Add(e);
                if (last(e))
                {
                    return events;
                }
            }
        }

        public void Dispose()
        {
            _reader.Dispose();
            _response.Dispose();
        }
    }
}
