using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gantry.Server.Api;
using Gantry.Server.Scheduling;

namespace Gantry.Cli.Client;

/// <summary>The REST API as the CLI uses it. Problem details become <see cref="CliException"/>s that say what went wrong.</summary>
public sealed partial class GantryClient(HttpClient http) : IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static GantryClient Create(ClientSettings settings)
    {
        // 429 and 503 are waited out as Retry-After says (RetryAfterHandler), so a sweep slows down instead of failing.
        var http = new HttpClient(new RetryAfterHandler(new SocketsHttpHandler())) { BaseAddress = new Uri(settings.Url + "/"), Timeout = Timeout.InfiniteTimeSpan };
        if (settings.Token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", settings.Token);
        }
        return new GantryClient(http);
    }

    public Uri BaseAddress => http.BaseAddress!;

    public async Task<JobDto> SubmitAsync(string body, string mediaType, string? idempotencyKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/jobs") { Content = new StringContent(body, Encoding.UTF8, mediaType) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return await SendAsync<JobDto>(request, cancellationToken);
    }

    public Task<JobListDto> ListJobsAsync(string query, CancellationToken cancellationToken) =>
        GetAsync<JobListDto>("api/v1/jobs" + query, cancellationToken);

    public Task<JobDto> GetJobAsync(string id, CancellationToken cancellationToken) =>
        GetAsync<JobDto>($"api/v1/jobs/{Uri.EscapeDataString(id)}", cancellationToken);

    public Task<JobEventListDto> EventsAsync(string id, CancellationToken cancellationToken) =>
        GetAsync<JobEventListDto>($"api/v1/jobs/{Uri.EscapeDataString(id)}/events", cancellationToken);

    public Task<ExplainDto> ExplainAsync(string id, CancellationToken cancellationToken) =>
        GetAsync<ExplainDto>($"api/v1/jobs/{Uri.EscapeDataString(id)}/explain", cancellationToken);

    public Task<JobDto> CancelAsync(string id, CancellationToken cancellationToken) =>
        SendAsync<JobDto>(new HttpRequestMessage(HttpMethod.Post, $"api/v1/jobs/{Uri.EscapeDataString(id)}/cancel"), cancellationToken);

    public Task<SparkUiLinkDto> SparkUiLinkAsync(string id, CancellationToken cancellationToken) =>
        SendAsync<SparkUiLinkDto>(new HttpRequestMessage(HttpMethod.Post, $"api/v1/jobs/{Uri.EscapeDataString(id)}/spark-ui/link"), cancellationToken);

    public Task<QueueListDto> QueuesAsync(CancellationToken cancellationToken) => GetAsync<QueueListDto>("api/v1/queues", cancellationToken);

    public Task<QueueDto> QueueAsync(string name, CancellationToken cancellationToken) => GetAsync<QueueDto>(QueuePath(name), cancellationToken);

    public Task<QueueDto> CreateQueueAsync(object request, CancellationToken cancellationToken) =>
        SendAsync<QueueDto>(new HttpRequestMessage(HttpMethod.Post, "api/v1/queues") { Content = JsonContent.Create(request) }, cancellationToken);

    public Task<QueueDto> UpdateQueueAsync(string name, object request, CancellationToken cancellationToken) =>
        SendAsync<QueueDto>(new HttpRequestMessage(HttpMethod.Put, QueuePath(name)) { Content = JsonContent.Create(request) }, cancellationToken);

    public async Task DeleteQueueAsync(string name, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, QueuePath(name));
        using var response = await SendRawAsync(request, cancellationToken);
    }

    private static string QueuePath(string name) => $"api/v1/queues/{Uri.EscapeDataString(name)}";

    public Task<ClusterListDto> ClustersAsync(CancellationToken cancellationToken) => GetAsync<ClusterListDto>("api/v1/clusters", cancellationToken);

    public Task<ClusterDto> CordonAsync(string name, bool cordon, CancellationToken cancellationToken) =>
        SendAsync<ClusterDto>(new HttpRequestMessage(HttpMethod.Post, $"api/v1/clusters/{Uri.EscapeDataString(name)}/{(cordon ? "cordon" : "uncordon")}"), cancellationToken);

    public Task<ImportResultDto> ImportClustersAsync(object request, CancellationToken cancellationToken) =>
        SendAsync<ImportResultDto>(new HttpRequestMessage(HttpMethod.Post, "api/v1/clusters/import") { Content = JsonContent.Create(request) }, cancellationToken);

    public Task<ClusterDto> AddClusterAsync(object request, CancellationToken cancellationToken) =>
        SendAsync<ClusterDto>(new HttpRequestMessage(HttpMethod.Post, "api/v1/clusters") { Content = JsonContent.Create(request) }, cancellationToken);

    public Task<ClusterDto> LabelClusterAsync(string name, IReadOnlyDictionary<string, string?> labels, CancellationToken cancellationToken) =>
        SendAsync<ClusterDto>(new HttpRequestMessage(HttpMethod.Patch, ClusterPath(name)) { Content = JsonContent.Create(new { labels }) }, cancellationToken);

    public async Task RemoveClusterAsync(string name, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, ClusterPath(name));
        using var response = await SendRawAsync(request, cancellationToken);
    }

    public Task<RuntimeListDto> RuntimesAsync(string name, CancellationToken cancellationToken) =>
        GetAsync<RuntimeListDto>(ClusterPath(name) + "/runtimes", cancellationToken);

    public Task<ClusterTestDto> TestClusterAsync(string name, CancellationToken cancellationToken) =>
        SendAsync<ClusterTestDto>(new HttpRequestMessage(HttpMethod.Post, ClusterPath(name) + "/test"), cancellationToken);

    public Task<IssuedShareDto> ShareClusterAsync(string name, string user, string? @namespace, CancellationToken cancellationToken) =>
        SendAsync<IssuedShareDto>(new HttpRequestMessage(HttpMethod.Post, ClusterPath(name) + "/shares") { Content = JsonContent.Create(new { user, @namespace }) }, cancellationToken);

    private static string ClusterPath(string name) => $"api/v1/clusters/{Uri.EscapeDataString(name)}";

    public Task<IssuedTokenDto> CreateUserAsync(string name, string role, CancellationToken cancellationToken) =>
        SendAsync<IssuedTokenDto>(new HttpRequestMessage(HttpMethod.Post, "api/v1/users") { Content = JsonContent.Create(new { name, role }) }, cancellationToken);

    public Task<IssuedTokenDto> IssueTokenAsync(string? user, string? expiresIn, string? description, CancellationToken cancellationToken) =>
        SendAsync<IssuedTokenDto>(new HttpRequestMessage(HttpMethod.Post, "api/v1/tokens") { Content = JsonContent.Create(new CreateTokenRequest(user, expiresIn, description), options: Json) }, cancellationToken);

    public Task<TokenListDto> TokensAsync(string? user, CancellationToken cancellationToken) =>
        GetAsync<TokenListDto>("api/v1/tokens" + (user is null ? "" : "?user=" + Uri.EscapeDataString(user)), cancellationToken);

    public async Task RevokeTokenAsync(string id, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"api/v1/tokens/{Uri.EscapeDataString(id)}");
        using var response = await SendRawAsync(request, cancellationToken);
    }

    public Task<AuditListDto> AuditAsync(string query, CancellationToken cancellationToken) =>
        GetAsync<AuditListDto>("api/v1/audit" + query, cancellationToken);

    public Task<ReplicaListDto> ReplicasAsync(CancellationToken cancellationToken) =>
        GetAsync<ReplicaListDto>("api/v1/replicas", cancellationToken);

    /// <summary>Streams the log to <paramref name="output"/> as it arrives.</summary>
    public async Task CopyLogsAsync(string id, bool follow, int? tail, string? replica, Stream output, CancellationToken cancellationToken)
    {
        var query = new StringBuilder($"api/v1/jobs/{Uri.EscapeDataString(id)}/logs?follow={(follow ? "true" : "false")}");
        if (tail is not null)
        {
            query.Append("&tail=").Append(tail);
        }
        if (replica is not null)
        {
            query.Append("&replica=").Append(Uri.EscapeDataString(replica));
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, query.ToString());
        using var response = await SendRawAsync(request, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            await output.FlushAsync(cancellationToken);
        }
    }

    /// <summary>The job's state changes from the SSE watch, ending when the job ends.</summary>
    public async IAsyncEnumerable<WatchEventDto> WatchAsync(string id, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/jobs/{Uri.EscapeDataString(id)}/watch");
        using var response = await SendRawAsync(request, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(body);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                yield return JsonSerializer.Deserialize<WatchEventDto>(line["data: ".Length..], Json)!;
            }
        }
    }

    private async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken) =>
        await SendAsync<T>(new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);

    private async Task<T> SendAsync<T>(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            using var response = await SendRawAsync(request, cancellationToken);
            return (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken))!;
        }
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new CliException($"Cannot reach Gantry at {http.BaseAddress}: {ex.Message}. Is `gantry serve` running? Set GANTRY_URL to point elsewhere.");
        }
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            throw new CliException(await DescribeAsync(response, cancellationToken));
        }
    }

    private static async Task<string> DescribeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var status = $"{(int)response.StatusCode} {response.StatusCode}";
        try
        {
            using var problem = JsonDocument.Parse(text);
            var root = problem.RootElement;
            var detail = root.TryGetProperty("detail", out var d) ? d.GetString() : null;
            var title = root.TryGetProperty("title", out var t) ? t.GetString() : null;
            var message = $"{status}: {detail ?? title}";
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object && detail is null)
            {
                message += string.Concat(errors.EnumerateObject().Select(e => $"\n  {e.Name}: {string.Join("; ", e.Value.EnumerateArray().Select(v => v.GetString()))}"));
            }
            return response.StatusCode == HttpStatusCode.Unauthorized
                ? message + "\nSet GANTRY_TOKEN, or run `gantry login URL --token TOKEN`."
                : message;
        }
        catch (JsonException)
        {
            return $"{status}: {text}";
        }
    }

    public void Dispose() => http.Dispose();
}
