using System.Text.Json.Nodes;
using Gantry.Sandbox.Api;

namespace Gantry.Sandbox.Store;

/// <summary>
/// The cluster's objects in memory. Every write takes the next resourceVersion and is published
/// to the watch hub under the same lock, so watchers see changes in version order. Objects go in
/// and out as copies: no caller can change a stored object behind the store's back.
/// </summary>
internal sealed class ObjectStore(ResourceVersionClock clock, WatchHub hub, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Group, string Plural), SortedDictionary<(string Ns, string Name), JsonObject>> _objects = [];

    public WatchHub Hub => hub;

    /// <summary>Custom resources ever created per Gantry job id (<c>GET /sandbox/v1/creations</c>).</summary>
    public CreationLedger Creations { get; } = new();

    public long CurrentVersion => clock.Current;

    public JsonObject? Get(ObjectKey key)
    {
        lock (_gate)
        {
            return Find(key)?.DeepClone().AsObject();
        }
    }

    /// <summary>Objects of a type (in one namespace, or all when <paramref name="ns"/> is null) and the version they were read at.</summary>
    public (List<JsonObject> Items, long Version) List(string group, string plural, string? ns, Func<JsonObject, bool>? filter = null)
    {
        lock (_gate)
        {
            var items = Select(group, plural, ns).Where(o => filter is null || filter(o)).Select(o => o.DeepClone().AsObject()).ToList();
            return (items, clock.Current);
        }
    }

    public JsonObject Create(ResourceType type, JsonObject obj)
    {
        var key = ObjectKey.For(type, obj.Namespace(), obj.Name());
        lock (_gate)
        {
            var table = Table(key.Group, key.Plural);
            if (table.ContainsKey((key.Namespace, key.Name)))
            {
                throw ApiErrors.AlreadyExists(type, key.Name);
            }
            var stored = obj.DeepClone().AsObject();
            var metadata = stored.Metadata();
            var version = clock.Next();
            metadata["uid"] = Guid.NewGuid().ToString();
            metadata["resourceVersion"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
            metadata["creationTimestamp"] = ObjectMeta.Timestamp(time.GetUtcNow());
            metadata["generation"] = 1;
            table[(key.Namespace, key.Name)] = stored;
            Creations.Record(type, stored);
            hub.Publish(new WatchEvent(version, WatchEvent.Added, key, stored.DeepClone().AsObject(), null));
            return stored.DeepClone().AsObject();
        }
    }

    /// <summary>
    /// Replaces an object with what <paramref name="change"/> makes of (a copy of) the current one,
    /// atomically. Identity fields are kept; an unchanged result writes nothing, as in kube-apiserver.
    /// </summary>
    public JsonObject Update(ResourceType type, ObjectKey key, Func<JsonObject, JsonObject> change)
    {
        lock (_gate)
        {
            var current = Find(key) ?? throw ApiErrors.NotFound(type, key.Name);
            var next = change(current.DeepClone().AsObject());
            var metadata = next.Metadata();
            var old = current["metadata"]!;
            foreach (var field in new[] { "name", "namespace", "uid", "creationTimestamp", "generation", "resourceVersion" })
            {
                metadata[field] = old[field]?.DeepClone();
            }
            if (JsonNode.DeepEquals(current, next))
            {
                return next;
            }
            if (SpecChanged(current, next))
            {
                metadata["generation"] = (old["generation"] is { } generation ? long.Parse(generation.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture) : 0) + 1;
            }
            var version = clock.Next();
            metadata["resourceVersion"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Table(key.Group, key.Plural)[(key.Namespace, key.Name)] = next;
            hub.Publish(new WatchEvent(version, WatchEvent.Modified, key, next.DeepClone().AsObject(), current));
            return next.DeepClone().AsObject();
        }
    }

    /// <summary>Removes an object; <paramref name="precondition"/> may refuse by throwing.</summary>
    public JsonObject Delete(ResourceType type, ObjectKey key, Action<JsonObject>? precondition = null)
    {
        lock (_gate)
        {
            var current = Find(key) ?? throw ApiErrors.NotFound(type, key.Name);
            precondition?.Invoke(current);
            Table(key.Group, key.Plural).Remove((key.Namespace, key.Name));
            var version = clock.Next();
            var last = current.DeepClone().AsObject();
            last.Metadata()["resourceVersion"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
            hub.Publish(new WatchEvent(version, WatchEvent.Deleted, key, last.DeepClone().AsObject(), null));
            return last;
        }
    }

    /// <summary>
    /// Opens a watch. Without <paramref name="after"/>, the current objects come back as the synthetic
    /// ADDED events; with it, changes after that version are replayed. Null when the version is too old.
    /// </summary>
    public (List<JsonObject> Initial, WatchSubscription? Subscription) Watch(string group, string plural, string? ns, long? after)
    {
        lock (_gate)
        {
            if (after is { } version)
            {
                return ([], hub.Subscribe(group, plural, ns, version));
            }
            var initial = Select(group, plural, ns).Select(o => o.DeepClone().AsObject()).ToList();
            return (initial, hub.Subscribe(group, plural, ns, clock.Current));
        }
    }

    /// <summary>
    /// For the garbage collector: every object that names owners, with their uids, and the uids of
    /// all objects. Nothing is copied (the CRDs alone are megabytes and this runs every tick).
    /// </summary>
    public (List<(ObjectKey Key, List<string> Owners)> Owned, HashSet<string> Uids) OwnerLinks()
    {
        lock (_gate)
        {
            var owned = new List<(ObjectKey, List<string>)>();
            var uids = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (type, table) in _objects)
            {
                foreach (var (at, obj) in table)
                {
                    uids.Add(obj.Uid());
                    if (obj["metadata"]?["ownerReferences"] is JsonArray { Count: > 0 } references)
                    {
                        owned.Add((new ObjectKey(type.Group, type.Plural, at.Ns, at.Name), [.. references.Select(r => ObjectMeta.Text(r?["uid"]) ?? "")]));
                    }
                }
            }
            return (owned, uids);
        }
    }

    private static bool SpecChanged(JsonObject current, JsonObject next)
    {
        var a = current.DeepClone().AsObject();
        var b = next.DeepClone().AsObject();
        foreach (var field in new[] { "metadata", "status" })
        {
            a.Remove(field);
            b.Remove(field);
        }
        return !JsonNode.DeepEquals(a, b);
    }

    private JsonObject? Find(ObjectKey key) =>
        _objects.TryGetValue((key.Group, key.Plural), out var table) && table.TryGetValue((key.Namespace, key.Name), out var obj) ? obj : null;

    private IEnumerable<JsonObject> Select(string group, string plural, string? ns) =>
        _objects.TryGetValue((group, plural), out var table)
            ? table.Where(o => ns is null || o.Key.Ns == ns).Select(o => o.Value)
            : [];

    private SortedDictionary<(string Ns, string Name), JsonObject> Table(string group, string plural)
    {
        if (!_objects.TryGetValue((group, plural), out var table))
        {
            table = new(Comparer<(string, string)>.Create((x, y) =>
            {
                var byNamespace = string.CompareOrdinal(x.Item1, y.Item1);
                return byNamespace != 0 ? byNamespace : string.CompareOrdinal(x.Item2, y.Item2);
            }));
            _objects[(group, plural)] = table;
        }
        return table;
    }
}
