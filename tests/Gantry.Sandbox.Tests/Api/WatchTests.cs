using System.Text.Json.Nodes;
using Gantry.Sandbox.Tests.Support;
using k8s;
using k8s.Models;
using static Gantry.Sandbox.Tests.Support.Manifests;

namespace Gantry.Sandbox.Tests.Api;

/// <summary>List-then-watch as an informer does it: resuming from a version, bookmarks, selector transitions, 410 Gone.</summary>
[Collection(SandboxCollection.Name)]
public class WatchTests(SandboxFixture sandbox)
{
    private readonly IKubernetes _client = sandbox.Client;

    private async Task<string> ListVersionAsync(string ns) =>
        AsNode(await _client.CustomObjects.ListNamespacedCustomObjectAsync(SparkGroup, SparkVersion, ns, SparkPlural)).Text("metadata.resourceVersion")!;

    private async Task<List<(WatchEventType Type, JsonObject Object)>> CollectAsync(
        string ns, string? version, Func<List<(WatchEventType, JsonObject)>, bool> done, string? selector = null, Action<Exception>? onError = null, int timeoutSeconds = 60)
    {
        var events = new List<(WatchEventType, JsonObject)>();
        // The server's timeoutSeconds ends the stream; this deadline is only a backstop, generous for a busy machine.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds + 30));
        await foreach (var (type, obj) in _client.CustomObjects.WatchListNamespacedCustomObjectAsync(
            SparkGroup, SparkVersion, ns, SparkPlural, allowWatchBookmarks: true, labelSelector: selector,
            resourceVersion: version, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: deadline.Token))
        {
            events.Add((type, AsNode(obj)));
            if (done(events))
            {
                break;
            }
        }
        return events;
    }

    [Fact]
    public async Task A_watch_from_a_list_version_sees_added_modified_and_deleted_in_order()
    {
        var ns = await sandbox.NamespaceAsync("watch");
        var version = await ListVersionAsync(ns);
        var watching = CollectAsync(ns, version, e => e.Any(x => x.Item1 == WatchEventType.Deleted));

        await _client.CustomObjects.CreateNamespacedCustomObjectAsync(Spark("pi", duration: "1h"), SparkGroup, SparkVersion, ns, SparkPlural);
        await Eventually.Until(
            async () => AsNode(await _client.CustomObjects.GetNamespacedCustomObjectAsync(SparkGroup, SparkVersion, ns, SparkPlural, "pi")),
            o => o.Text("status.applicationState.state") == "RUNNING", what: "RUNNING");
        await _client.CustomObjects.DeleteNamespacedCustomObjectAsync(SparkGroup, SparkVersion, ns, SparkPlural, "pi");
        var events = (await watching).Where(e => e.Type != WatchEventType.Bookmark).ToList();

        Assert.Equal(WatchEventType.Added, events[0].Type);
        Assert.Contains(events, e => e.Type == WatchEventType.Modified && e.Object.Text("status.applicationState.state") == "SUBMITTED");
        Assert.Equal(WatchEventType.Deleted, events[^1].Type);
        var versions = events.Select(e => long.Parse(e.Object.Text("metadata.resourceVersion")!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(versions.Order(), versions);
    }

    [Fact]
    public async Task A_watch_without_a_version_starts_with_the_current_objects()
    {
        var ns = await sandbox.NamespaceAsync("initial");
        await _client.CustomObjects.CreateNamespacedCustomObjectAsync(Spark("a", duration: "1h"), SparkGroup, SparkVersion, ns, SparkPlural);

        var events = await CollectAsync(ns, null, e => e.Count >= 1);

        Assert.Equal((WatchEventType.Added, "a"), (events[0].Item1, events[0].Item2.Text("metadata.name")));
    }

    [Fact]
    public async Task A_quiet_watch_gets_bookmarks_that_advance_its_version()
    {
        var ns = await sandbox.NamespaceAsync("bookmark");
        var version = await ListVersionAsync(ns);
        await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "noise" } }, ns);

        var events = await CollectAsync(ns, version, e => e.Count >= 2);

        Assert.All(events, e => Assert.Equal(WatchEventType.Bookmark, e.Item1));
        Assert.True(long.Parse(events[^1].Item2.Text("metadata.resourceVersion")!, System.Globalization.CultureInfo.InvariantCulture) > long.Parse(version, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task An_object_leaving_the_selector_is_DELETED_for_the_watch()
    {
        var ns = await sandbox.NamespaceAsync("leave");
        await _client.CustomObjects.CreateNamespacedCustomObjectAsync(Spark("pi", duration: "1h", labels: new JsonObject { ["keep"] = "yes" }), SparkGroup, SparkVersion, ns, SparkPlural);
        var version = await ListVersionAsync(ns);
        var watching = CollectAsync(ns, version, e => e.Any(x => x.Item1 == WatchEventType.Deleted), selector: "keep=yes");

        await Task.Delay(200);
        var patch = new V1Patch("""{"metadata":{"labels":{"keep":"no"}}}""", V1Patch.PatchType.MergePatch);
        await _client.CustomObjects.PatchNamespacedCustomObjectAsync(patch, SparkGroup, SparkVersion, ns, SparkPlural, "pi");

        var deleted = (await watching).Last();
        Assert.Equal(WatchEventType.Deleted, deleted.Item1);
        Assert.Equal("no", deleted.Item2.Text("metadata.labels.keep"));
    }

    [Fact]
    public async Task After_ExpireHistory_a_watch_from_an_old_version_gets_a_410_ERROR_event()
    {
        var ns = await sandbox.NamespaceAsync("expire");
        var version = await ListVersionAsync(ns);
        await _client.CustomObjects.CreateNamespacedCustomObjectAsync(Spark("pi", duration: "1h"), SparkGroup, SparkVersion, ns, SparkPlural);
        sandbox.Cluster.Faults.ExpireHistory();
        var errors = new List<Exception>();

        var events = await CollectAsync(ns, version, _ => false, onError: errors.Add, timeoutSeconds: 10);

        Assert.Empty(events);
        var expired = Assert.IsType<k8s.KubernetesException>(Assert.Single(errors));
        Assert.Equal(410, expired.Status.Code);
        Assert.Equal("Expired", expired.Status.Reason);
    }

    [Fact]
    public async Task TimeoutSeconds_ends_the_stream_cleanly()
    {
        var ns = await sandbox.NamespaceAsync("timeout");
        var version = await ListVersionAsync(ns);
        var started = DateTime.UtcNow;

        await CollectAsync(ns, version, _ => false, timeoutSeconds: 1);

        // Not before the second asked for; well before the client's backstop (31 s), however busy the machine.
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(20));
    }
}
