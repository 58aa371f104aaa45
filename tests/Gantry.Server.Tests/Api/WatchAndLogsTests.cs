using System.Net;
using System.Text.Json.Nodes;
using Gantry.Testing;

namespace Gantry.Server.Tests.Api;

public sealed class WatchAndLogsTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly TestGateway _gateway = fixture.Gateway;

    [Fact]
    public async Task Watch_streams_the_current_state_then_each_change_and_ends_with_the_job()
    {
        await _gateway.SetCordonAsync(true);
        using var client = _gateway.Client();
        var job = await client.SubmitAsync(TestJobs.Shell("sleep 0.5"));

        using var response = await client.GetAsync($"api/v1/jobs/{job.Id()}/watch", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var first = new TaskCompletionSource();
        var reading = ReadEventsAsync(response, first);
        // The first event is the state the watch starts from; every change after it must follow.
        await first.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await _gateway.SetCordonAsync(false);
        var events = await reading.WaitAsync(TimeSpan.FromSeconds(120));

        Assert.Equal(["Queued", "Dispatching", "Running", "Succeeded"], events.Select(e => e["event"]!["to"]!.GetValue<string>()));
        Assert.Null(events[0]["event"]!["from"]?.GetValue<string>());
        Assert.Equal("Queued", events[1]["event"]!["from"]!.GetValue<string>());
        Assert.All(events, e => Assert.Equal(job.Id(), e["job"]!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Watch_resumes_after_Last_Event_ID_and_replays_what_was_missed()
    {
        await _gateway.SetCordonAsync(false);
        using var client = _gateway.Client();
        var job = await client.SubmitAsync(TestJobs.Shell("true"));
        await client.WaitForEndAsync(job.Id());
        var history = JsonNode.Parse(await client.GetStringAsync($"api/v1/jobs/{job.Id()}/events"))!["items"]!.AsArray();

        var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/jobs/{job.Id()}/watch");
        request.Headers.Add("Last-Event-ID", history[1]!["seq"]!.GetValue<long>().ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var events = await ReadEventsAsync(response).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(["Running", "Succeeded"], events.Select(e => e["event"]!["to"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Following_logs_streams_output_as_it_is_written_until_the_job_ends()
    {
        await _gateway.SetCordonAsync(false);
        using var client = _gateway.Client();
        // The job holds "second" back until the test has seen "first" and the job's state, however slow the machine.
        var go = Path.Combine(Path.GetTempPath(), "gantry-follow-" + Guid.NewGuid().ToString("N"));
        var job = await client.SubmitAsync(TestJobs.Shell($"echo first; while [ ! -e {go} ]; do sleep 0.1; done; echo second"));

        using var response = await client.GetAsync($"api/v1/jobs/{job.Id()}/logs?follow=true", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var first = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var stateWhileReadingFirst = (await client.GetJobAsync(job.Id())).State();
        await File.WriteAllTextAsync(go, "");
        var rest = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
        File.Delete(go);

        Assert.Equal("first", first);
        Assert.Equal("Running", stateWhileReadingFirst);
        Assert.Equal("second\n", rest);
        Assert.Equal("Succeeded", (await client.WaitForEndAsync(job.Id())).State());
    }

    [Fact]
    public async Task Tail_returns_only_the_last_lines()
    {
        await _gateway.SetCordonAsync(false);
        using var client = _gateway.Client();
        var job = await client.SubmitAsync(TestJobs.Shell("for i in 1 2 3 4 5; do echo line $i; done"));
        await client.WaitForEndAsync(job.Id());

        Assert.Equal("line 4\nline 5\n", await client.GetStringAsync($"api/v1/jobs/{job.Id()}/logs?tail=2"));
        Assert.Equal("", await client.GetStringAsync($"api/v1/jobs/{job.Id()}/logs?tail=0"));
        Assert.Equal("line 1\nline 2\nline 3\nline 4\nline 5\n", await client.GetStringAsync($"api/v1/jobs/{job.Id()}/logs?tail=50"));
    }

    [Fact]
    public async Task Logs_of_a_job_that_never_ran_are_empty()
    {
        await _gateway.SetCordonAsync(true);
        using var client = _gateway.Client();
        var job = await client.SubmitAsync(TestJobs.Shell("true"));

        var response = await client.GetAsync($"api/v1/jobs/{job.Id()}/logs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        await client.PostAsync($"api/v1/jobs/{job.Id()}/cancel", null);
    }

    private static async Task<List<JsonObject>> ReadEventsAsync(HttpResponseMessage response, TaskCompletionSource? firstEvent = null)
    {
        var events = new List<JsonObject>();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                events.Add(JsonNode.Parse(line["data: ".Length..])!.AsObject());
                firstEvent?.TrySetResult();
            }
        }
        return events;
    }
}
