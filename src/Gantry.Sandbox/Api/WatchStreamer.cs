using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Sandbox.Hosting;
using Gantry.Sandbox.Store;
using Microsoft.AspNetCore.Http;

namespace Gantry.Sandbox.Api;

/// <summary>
/// A watch: newline-delimited <c>{"type","object"}</c> events, each flushed, with bookmarks when asked,
/// selector transitions as ADDED/DELETED, <c>timeoutSeconds</c>, and a 410 ERROR event for a
/// version older than the history holds.
/// </summary>
internal sealed class WatchStreamer(ClusterState state)
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    public async Task StreamAsync(HttpContext context, ApiTarget target, CancellationToken ct)
    {
        var query = context.Request.Query;
        var filter = ObjectFilter.From(query);
        long? after = long.TryParse(query["resourceVersion"], NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0 ? version : null;
        var bookmarks = query["allowWatchBookmarks"].ToString() is "true" or "1";
        var timeout = int.TryParse(query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromMinutes(30);

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.StartAsync(ct);

        var (initial, subscription) = state.Store.Watch(target.Type.Group, target.Type.Plural, target.Namespace, after);
        if (subscription is null)
        {
            var floor = state.Store.Hub.Floor;
            var expired = ApiErrors.Gone($"too old resource version: {after} ({floor})");
            await WriteAsync(context, WatchEvent.Error, expired.ToStatus(), ct);
            return;
        }
        using (subscription)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct, subscription.Dropped);
            deadline.CancelAfter(timeout);
            try
            {
                foreach (var obj in initial.Where(filter.Matches))
                {
                    await WriteAsync(context, WatchEvent.Added, obj, deadline.Token);
                }
                await PumpAsync(context, target, subscription, filter, bookmarks, deadline.Token);
            }
            catch (OperationCanceledException) when (subscription.Dropped.IsCancellationRequested)
            {
                // A dropped watch is a cut connection, not a clean end of stream.
                context.Abort();
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // timeoutSeconds reached: end the stream cleanly, with a last bookmark if asked.
                var bookmark = Bookmark(target.Type);
                if (bookmarks && !subscription.Events.Reader.TryPeek(out _))
                {
                    await WriteAsync(context, WatchEvent.Bookmark, bookmark, ct);
                }
            }
        }
    }

    private async Task PumpAsync(HttpContext context, ApiTarget target, WatchSubscription subscription, ObjectFilter filter, bool bookmarks, CancellationToken ct)
    {
        var reader = subscription.Events.Reader;
        while (true)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
            if (bookmarks)
            {
                wait.CancelAfter(state.Options.BookmarkInterval);
            }
            bool ready;
            try
            {
                ready = await reader.WaitToReadAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                var bookmark = Bookmark(target.Type);
                if (!reader.TryPeek(out _))
                {
                    await WriteAsync(context, WatchEvent.Bookmark, bookmark, ct);
                }
                continue;
            }
            if (!ready)
            {
                return;
            }
            while (reader.TryRead(out var change))
            {
                if (Translate(change, filter) is { } type)
                {
                    await WriteAsync(context, type, change.Object, ct);
                }
            }
        }
    }

    /// <summary>How a change looks through a selector: entering it is ADDED, leaving it DELETED.</summary>
    private static string? Translate(WatchEvent change, ObjectFilter filter)
    {
        var now = filter.Matches(change.Object);
        if (change.Type != WatchEvent.Modified || change.Previous is null)
        {
            return now ? change.Type : null;
        }
        var before = filter.Matches(change.Previous);
        return (before, now) switch
        {
            (true, true) => WatchEvent.Modified,
            (false, true) => WatchEvent.Added,
            (true, false) => WatchEvent.Deleted,
            _ => null,
        };
    }

    private JsonObject Bookmark(ResourceType type) => new()
    {
        ["kind"] = type.Kind,
        ["apiVersion"] = type.ApiVersion,
        ["metadata"] = new JsonObject { ["resourceVersion"] = state.Store.Hub.LastPublished.ToString(CultureInfo.InvariantCulture) },
    };

    private static async Task WriteAsync(HttpContext context, string type, JsonObject obj, CancellationToken ct)
    {
        var line = JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["type"] = type, ["object"] = obj.DeepClone() });
        await context.Response.Body.WriteAsync(line, ct);
        await context.Response.Body.WriteAsync(NewLine, ct);
        await context.Response.Body.FlushAsync(ct);
    }
}
