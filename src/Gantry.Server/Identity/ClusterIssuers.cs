using System.Text.Json;
using Gantry.Backends.Kubernetes.Management;
using Gantry.Core.Clusters;
using Gantry.Core.Errors;
using Gantry.Server.Clusters;
using Gantry.Server.Options;
using Gantry.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gantry.Server.Identity;

/// <summary>
/// Which registered clusters sign tokens with a given issuer: each cluster's issuer, read from its
/// <c>/.well-known/openid-configuration</c> with Gantry's own credentials there (or set in
/// <c>Gantry:Identity:Kubernetes:Issuers</c>). Several clusters may share one issuer
/// (<c>https://kubernetes.default.svc.cluster.local</c> is common), so the answer is a list.
/// Discovered again when a token names an issuer not known, at most every IssuerRefreshSeconds:
/// a flood of tokens from strangers costs one round of discovery per interval.
/// </summary>
public sealed partial class ClusterIssuers(
    IGantryStore store, IClusterConnections connections, IOptions<GantryOptions> options, TimeProvider time, ILogger<ClusterIssuers> logger) : IDisposable
{
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private IReadOnlyDictionary<string, IReadOnlyList<string>> _byIssuer = new Dictionary<string, IReadOnlyList<string>>();
    private DateTimeOffset _refreshedAt = DateTimeOffset.MinValue;

    private TimeSpan RefreshInterval => TimeSpan.FromSeconds(options.Value.Identity.Kubernetes.IssuerRefreshSeconds);

    /// <summary>The clusters whose issuer is <paramref name="issuer"/>, by name; empty when none is.</summary>
    public async Task<IReadOnlyList<string>> ClustersOfAsync(string issuer, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _byIssuer).TryGetValue(issuer, out var known))
        {
            return known;
        }
        await _refreshing.WaitAsync(cancellationToken);
        try
        {
            if (time.GetUtcNow() - _refreshedAt >= RefreshInterval)
            {
                Volatile.Write(ref _byIssuer, await DiscoverAsync(cancellationToken));
                _refreshedAt = time.GetUtcNow();
            }
        }
        finally
        {
            _refreshing.Release();
        }
        return _byIssuer.GetValueOrDefault(issuer) ?? [];
    }

    private async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> DiscoverAsync(CancellationToken cancellationToken)
    {
        var clusters = (await store.Clusters.ListAsync(cancellationToken)).Where(c => c.Type == ClusterTypes.Kubernetes).ToList();
        var issuers = await Task.WhenAll(clusters.Select(async c => (c.Name, Issuer: await IssuerOfAsync(c.Name, cancellationToken))));
        return issuers
            .Where(i => i.Issuer is not null)
            .GroupBy(i => i.Issuer!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(i => i.Name).Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
    }

    private async Task<string?> IssuerOfAsync(string cluster, CancellationToken cancellationToken)
    {
        if (options.Value.Identity.Kubernetes.Issuers.TryGetValue(cluster, out var configured))
        {
            return configured;
        }
        try
        {
            var connection = await connections.GetAsync(cluster, cancellationToken);
            using var client = await KubernetesApi.ConnectAsync(connection, TimeSpan.FromSeconds(options.Value.Kubernetes.RequestTimeoutSeconds), cancellationToken);
            var body = await KubernetesApi.GetRawAsync(client, ".well-known/openid-configuration", cancellationToken);
            using var document = body is null ? null : JsonDocument.Parse(body);
            var issuer = document?.RootElement.TryGetProperty("issuer", out var value) == true && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            if (issuer is null)
            {
                LogNoIssuer(cluster);
            }
            return issuer;
        }
        catch (Exception e) when (e is ClusterApiException or NotFoundException or HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogDiscoveryFailed(e, cluster);
            return null;
        }
    }

    public void Dispose() => _refreshing.Dispose();

    [LoggerMessage(1800, LogLevel.Warning, "Cluster {Cluster} serves no service-account issuer discovery; its tokens cannot sign in (set Gantry:Identity:Kubernetes:Issuers:{Cluster})")]
    private partial void LogNoIssuer(string cluster);

    [LoggerMessage(1801, LogLevel.Warning, "Could not read the service-account issuer of cluster {Cluster}; its tokens cannot sign in until it answers")]
    private partial void LogDiscoveryFailed(Exception exception, string cluster);
}
