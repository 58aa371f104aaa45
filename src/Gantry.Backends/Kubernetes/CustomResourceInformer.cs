using System.Diagnostics;
using System.Text.Json;
using k8s;
using Microsoft.Extensions.Logging;

namespace Gantry.Backends.Kubernetes;

/// <summary>
/// List-then-watch of one kind of custom resource across all namespaces, restricted to Gantry's
/// label: what client-go's reflector does and the C# client does not. It watches from the last
/// resourceVersion seen (bookmarks advance it), lists again when the server says that version is
/// gone (an HTTP 410 or a 410 ERROR event) and after a failed call, relists every resync period so nothing missed stays
/// missed, bounds every watch by the server's timeout and its own deadline, and reconnects with
/// exponential back-off.
/// </summary>
internal sealed partial class CustomResourceInformer(
    IKubernetes client,
    Workload workload,
    IResourceEvents events,
    Func<long> clock,
    InformerSettings settings,
    RecoverySignal recovery,
    WatchInstruments instruments,
    TimeProvider time,
    ILogger logger)
{
    private static readonly TimeSpan ShortStream = TimeSpan.FromSeconds(1);

    /// <summary>Calls made against the API server, good or bad, for whoever tracks the cluster's health.</summary>
    public event Action<bool>? Answered;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        string? version = null;
        var failures = 0;
        var nextResync = DateTimeOffset.MinValue;
        // Why the next list or watch happens, for the counts: a list is "initial", "expired",
        // "error" (after a failed call) or "resync"; a watch opened again after one ended is a reconnect, by how the last one ended.
        var listReason = "initial";
        string? reconnectCause = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (version is null || time.GetUtcNow() >= nextResync)
                {
                    var reason = version is null ? listReason : "resync";
                    version = await ListAsync(cancellationToken);
                    instruments.Relisted(workload.Kind, reason);
                    nextResync = time.GetUtcNow() + settings.Resync;
                    reconnectCause = null;
                }
                if (reconnectCause is not null)
                {
                    instruments.Reconnected(workload.Kind, reconnectCause);
                }
                reconnectCause = "error";
                var started = Stopwatch.GetTimestamp();
                var (next, received, quiet) = await WatchAsync(version, nextResync - time.GetUtcNow(), cancellationToken);
                Answered?.Invoke(true);
                failures = 0;
                reconnectCause = quiet ? "deadline" : "closed";
                if (next is null)
                {
                    LogExpired(workload.Kind, version);
                    listReason = "expired";
                }
                version = next;
                if (next is not null && received == 0 && Stopwatch.GetElapsedTime(started) < ShortStream)
                {
                    // A server that ends streams at once must not be hammered.
                    await Task.Delay(settings.InitialBackoff, time, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (KubernetesErrors.IsGone(ex))
            {
                LogExpired(workload.Kind, version);
                version = null;
                listReason = "expired";
            }
            catch (Exception ex)
            {
                failures++;
                Answered?.Invoke(false);
                // After an outage, list again rather than resume the watch: the list is what finds
                // the copies of jobs that moved elsewhere meanwhile, and deletes them.
                version = null;
                listReason = "error";
                var delay = settings.Backoff(failures);
                LogWatchFailed(workload.Kind, failures, delay.TotalMilliseconds, KubernetesErrors.Describe(ex));
                await recovery.DelayAsync(delay, time, cancellationToken);
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Lists every labelled object and hands them over; returns the list's resourceVersion.</summary>
    private async Task<string> ListAsync(CancellationToken cancellationToken)
    {
        var started = clock();
        var resource = workload.Resource;
        var list = (JsonElement)await client.CustomObjects.ListCustomObjectForAllNamespacesAsync(
            resource.Group, resource.Version, resource.Plural, labelSelector: workload.LabelSelector, cancellationToken: cancellationToken);
        Answered?.Invoke(true);
        var items = list.TryGetProperty("items", out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().ToList()
            : [];
        LogListed(workload.Kind, items.Count);
        await events.ListedAsync(workload, items, started, cancellationToken);
        return ResourceVersion(list) ?? "";
    }

    /// <summary>
    /// Watches from <paramref name="version"/>; returns the version to resume from (null: expired, relist),
    /// how many events came, and whether the stream went quiet past its deadline.
    /// </summary>
    private async Task<(string? Version, int Received, bool Quiet)> WatchAsync(string version, TimeSpan untilResync, CancellationToken cancellationToken)
    {
        var length = untilResync < settings.WatchTimeout ? untilResync : settings.WatchTimeout;
        var seconds = Math.Max(1, (int)Math.Ceiling(length.TotalSeconds));
        var expired = false;
        var quiet = false;
        var received = 0;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(seconds) + settings.DeadlineSlack);
        var resource = workload.Resource;
        try
        {
            var stream = client.CustomObjects.WatchListCustomObjectForAllNamespacesAsync(
                resource.Group, resource.Version, resource.Plural,
                allowWatchBookmarks: true,
                labelSelector: workload.LabelSelector,
                resourceVersion: version,
                timeoutSeconds: seconds,
                // An ERROR event never reaches the loop: without this a 410 would go unnoticed and the
                // next watch would ask for the same stale version forever.
                onError: ex =>
                {
                    if (ex is KubernetesException { Status.Code: 410 })
                    {
                        expired = true;
                    }
                    else
                    {
                        LogWatchError(workload.Kind, ex.Message);
                    }
                },
                cancellationToken: deadline.Token);
            await foreach (var (type, item) in stream)
            {
                var element = (JsonElement)item;
                version = ResourceVersion(element) ?? version;
                if (type == WatchEventType.Bookmark)
                {
                    continue;
                }
                received++;
                await events.ChangedAsync(workload, type, element, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Our own deadline: the connection went quiet beyond the server's timeout. Reconnect.
            LogDeadline(workload.Kind);
            quiet = true;
        }
        return (expired ? null : version, received, quiet);
    }

    private static string? ResourceVersion(JsonElement element) =>
        element.TryGetProperty("metadata", out var metadata) && metadata.TryGetProperty("resourceVersion", out var version)
            && version.ValueKind == JsonValueKind.String
            ? version.GetString()
            : null;
}
