using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Gantry.Sandbox.Hosting;
using Gantry.Sandbox.Store;
using Microsoft.AspNetCore.Http;

namespace Gantry.Sandbox.Api;

/// <summary><c>GET .../pods/{name}/log</c>: text/plain, with container, tailLines, timestamps, limitBytes, sinceSeconds and follow.</summary>
internal sealed class PodLogHandler(ClusterState state)
{
    public async Task HandleAsync(HttpContext context, ApiTarget target, CancellationToken ct)
    {
        var pod = state.Store.Get(ObjectKey.For(BuiltInTypes.Pods, target.Namespace, target.Name!)) ?? throw ApiErrors.NotFound(BuiltInTypes.Pods, target.Name!);
        var query = context.Request.Query;
        var container = CheckContainer(pod, query["container"].ToString());
        if (ObjectMeta.Text(pod["status"]?["phase"]) is null or "Pending")
        {
            throw ApiErrors.BadRequest($"container \"{container}\" in pod \"{pod.Name()}\" is waiting to start: ContainerCreating");
        }
        var log = state.Logs.Find(pod.Namespace(), pod.Name());
        var follow = query["follow"].ToString() is "true" or "1";
        var timestamps = query["timestamps"].ToString() is "true" or "1";
        long? limit = long.TryParse(query["limitBytes"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? l : null;
        int? tail = int.TryParse(query["tailLines"], NumberStyles.None, CultureInfo.InvariantCulture, out var t) ? t : null;
        DateTimeOffset? since = long.TryParse(query["sinceSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? state.Time.GetUtcNow().AddSeconds(-s) : null;

        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/plain";
        await context.Response.StartAsync(ct);
        if (log is null)
        {
            return;
        }
        var written = 0L;
        var (lines, next, closed, changed) = log.Read(0);
        var first = lines.Where(x => since is null || x.Time >= since).ToList();
        if (tail is { } n)
        {
            first = first.Skip(Math.Max(first.Count - n, 0)).ToList();
        }
        written += await WriteAsync(context, first, timestamps, limit, written, ct);
        while (follow && !closed && (limit is null || written < limit))
        {
            await changed.WaitAsync(ct);
            (lines, next, closed, changed) = log.Read(next);
            written += await WriteAsync(context, lines, timestamps, limit, written, ct);
        }
    }

    private static string CheckContainer(JsonObject pod, string requested)
    {
        var names = (pod["spec"]?["containers"] as JsonArray ?? []).Select(c => ObjectMeta.Text(c?["name"]) ?? "").ToList();
        if (requested.Length == 0)
        {
            return names.Count == 1
                ? names[0]
                : throw ApiErrors.BadRequest($"a container name must be specified for pod {pod.Name()}, choose one of: [{string.Join(' ', names)}]");
        }
        return names.Contains(requested)
            ? requested
            : throw ApiErrors.BadRequest($"container {requested} is not valid for pod {pod.Name()}");
    }

    private static async Task<long> WriteAsync(HttpContext context, List<(DateTimeOffset Time, string Text)> lines, bool timestamps, long? limit, long already, CancellationToken ct)
    {
        if (lines.Count == 0)
        {
            return 0;
        }
        var text = new StringBuilder();
        foreach (var (time, line) in lines)
        {
            if (timestamps)
            {
                text.Append(time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'00Z'", CultureInfo.InvariantCulture)).Append(' ');
            }
            text.Append(line).Append('\n');
        }
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        var count = limit is { } max ? (int)Math.Min(bytes.Length, Math.Max(max - already, 0)) : bytes.Length;
        await context.Response.Body.WriteAsync(bytes.AsMemory(0, count), ct);
        await context.Response.Body.FlushAsync(ct);
        return count;
    }
}
