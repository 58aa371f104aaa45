using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gantry.Testing.Fuzzing;

/// <summary>
/// Sends the corpus's requests to a gateway and checks every answer against the rules of the
/// API: never a 5xx or a dropped connection; every 4xx an <c>application/problem+json</c> that
/// names a field (<c>errors</c>) or a limit; every job answered 201 remembered, so the caller can
/// compare with the store. The requests are generated up front, so a run is the same whatever the
/// order the answers come back in.
/// </summary>
public static class RequestFuzzer
{
    public static async Task<FuzzReport> RunAsync(string baseUrl, string token, FuzzCorpus corpus, int requests, int concurrency, CancellationToken cancellationToken)
    {
        var planned = new FuzzRequest[requests];
        for (var i = 0; i < requests; i++)
        {
            planned[i] = corpus.Next();
        }
        var report = new FuzzReport();
        using var handler = new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false, MaxConnectionsPerServer = concurrency };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(baseUrl.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(60) };
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < planned.Length)
            {
                await SendAsync(client, planned[i], token, report, cancellationToken);
            }
        }));
        report.Elapsed = clock.Elapsed;
        return report;
    }

    private static async Task SendAsync(HttpClient client, FuzzRequest request, string token, FuzzReport report, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(request.Method, request.Path);
        message.Headers.TryAddWithoutValidation("Authorization", "Bearer " + (request.Token ?? token));
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            if (request.ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
            }
        }
        report.ByEndpoint.AddOrUpdate(request.Endpoint, 1, (_, n) => n + 1);
        HttpResponseMessage response;
        string text;
        try
        {
            response = await client.SendAsync(message, cancellationToken);
            text = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            report.Dropped();
            report.Violations.Enqueue($"dropped connection ({ex.GetType().Name}: {ex.Message}) for {Describe(request)}");
            return;
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            if (status is 400 or 414 or 431 && text.Length == 0 && response.Content.Headers.ContentType is null)
            {
                // Kestrel refused the request line or headers before any of the gateway's code ran
                // (a NUL in the path, a request line past 8 KiB): HTTP's own answer, counted apart.
                report.RefusedByKestrel.AddOrUpdate(status, 1, (_, n) => n + 1);
                return;
            }
            report.ByStatus.AddOrUpdate(status, 1, (_, n) => n + 1);
            if (status >= 500)
            {
                report.ServerErrors.Enqueue($"{status} for {Describe(request)}: {Cut(text)}");
            }
            else if (status >= 400 && Problem(response, text, status) is { } broken)
            {
                report.Violations.Enqueue($"{status} {broken} for {Describe(request)}: {Cut(text)}");
            }
            else if (status == 201 && request.Path == "api/v1/jobs" && request.Method == HttpMethod.Post)
            {
                report.CreatedJobIds.TryAdd(JsonNode.Parse(text)!["id"]!.GetValue<string>(), 0);
            }
            else if (status == 201 && request.Path == "api/v1/experiments" && request.Method == HttpMethod.Post)
            {
                report.CreatedExperimentIds.TryAdd(JsonNode.Parse(text)!["id"]!.GetValue<string>(), 0);
            }
        }
    }

    /// <summary>What is wrong with a 4xx answer, or null when it is a proper problem.</summary>
    private static string? Problem(HttpResponseMessage response, string text, int status)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return $"is {response.Content.Headers.ContentType?.MediaType ?? "without a content type"}, not application/problem+json";
        }
        JsonObject? problem;
        try
        {
            problem = JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return "is not JSON";
        }
        if (problem?["status"]?.GetValue<int>() != status)
        {
            return "has no matching status";
        }
        var namesField = problem["errors"] is JsonObject { Count: > 0 };
        var namesLimit = problem["limit"] is JsonValue;
        return status switch
        {
            400 or 413 or 415 or 422 when !namesField => "names no field",
            429 when !namesLimit => "names no limit",
            _ when problem["title"] is null => "has no title",
            _ => null,
        };
    }

    private static string Describe(FuzzRequest request)
    {
        var body = request.Body is null ? "" : $" [{request.ContentType}] {Cut(System.Text.Encoding.UTF8.GetString(request.Body))}";
        return $"{request.Method} {Cut(request.Path)} ({request.Endpoint}){body}";
    }

    private static string Cut(string text) => text.Length <= 300 ? text : text[..300] + $"... ({text.Length} chars)";
}
