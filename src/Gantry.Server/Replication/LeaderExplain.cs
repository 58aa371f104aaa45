using System.Net.Http.Json;
using System.Text.Json;
using Gantry.Server.Scheduling;
using Gantry.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gantry.Server.Replication;

/// <summary>
/// A follower's explain of a queued job, asked of the leader: the per-cluster verdicts come from the
/// leader's last round and the capacity it judged by, which only the leader holds in memory. The
/// request names the caller as this replica authenticated them, sealed for that one job's explain
/// (<see cref="ForwardedCallers"/>), so the leader decides what they may see as any replica would
/// whatever way they signed in; and a header that keeps it from being forwarded again (leadership
/// may move between the two reads). Any failure answers null and the follower says what the store holds.
/// </summary>
public sealed partial class LeaderExplain(
    IGantryStore store, Leadership leadership, ForwardedCallers callers, IOptions<JsonOptions> json, ILogger<LeaderExplain> logger) : IDisposable
{
    public const string ForwardedHeader = "X-Gantry-Forwarded";

    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectTimeout = TimeSpan.FromSeconds(2),
    })
    { Timeout = TimeSpan.FromSeconds(5) };

    public async Task<ExplainDto?> AskAsync(string jobId, Auth.Caller caller, HttpRequest request, CancellationToken cancellationToken)
    {
        if (leadership.IsLeader || request.Headers.ContainsKey(ForwardedHeader))
        {
            return null;
        }
        var lease = await store.Leases.GetAsync(LeaderElector.LeaseName, cancellationToken);
        var leader = lease is null ? null : (await store.Replicas.ListAsync(cancellationToken)).FirstOrDefault(r => r.Id == lease.Holder);
        if (leader is null || leader.Url.Length == 0 || leader.Id == leadership.Identity.Id)
        {
            return null;
        }
        using var ask = new HttpRequestMessage(HttpMethod.Get, $"{leader.Url}/api/v1/jobs/{Uri.EscapeDataString(jobId)}/explain");
        ask.Headers.Add(ForwardedCallers.Header, callers.Issue(jobId, caller));
        ask.Headers.Add(ForwardedHeader, "1");
        try
        {
            using var response = await _http.SendAsync(ask, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                LogLeaderRefused(logger, leader.Id, (int)response.StatusCode);
                return null;
            }
            return await response.Content.ReadFromJsonAsync<ExplainDto>(json.Value.SerializerOptions, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
        {
            LogLeaderUnreachable(logger, leader.Id, leader.Url, ex.Message);
            return null;
        }
    }

    public void Dispose() => _http.Dispose();

    [LoggerMessage(1530, LogLevel.Information, "The leader {Leader} answered {Status} to a forwarded explain; answering from the store")]
    private static partial void LogLeaderRefused(ILogger logger, string leader, int status);

    [LoggerMessage(1531, LogLevel.Warning, "The leader {Leader} at {Url} could not be asked for an explain ({Problem}); answering from the store")]
    private static partial void LogLeaderUnreachable(ILogger logger, string leader, string url, string problem);
}
