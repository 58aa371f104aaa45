using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Core.Kinds.Trainer;
using k8s;

namespace Gantry.Backends.Kubernetes;

/// <summary>
/// The cluster's Trainer runtimes as its two runtime informers list and watch them: a list
/// replaces what was known of that kind, each event adds, changes or removes one.
/// </summary>
internal sealed class RuntimeCatalog : IResourceEvents
{
    private readonly ConcurrentDictionary<(string Kind, string? Namespace, string Name), TrainingRuntime> _runtimes = new();

    public IReadOnlyList<TrainingRuntime> All => [.. _runtimes.Values];

    public Task ListedAsync(Workload workload, IReadOnlyList<JsonElement> items, long listStarted, CancellationToken cancellationToken)
    {
        var seen = new HashSet<(string, string?, string)>();
        foreach (var item in items)
        {
            if (Read(workload, item) is { } runtime)
            {
                _runtimes[Key(runtime)] = runtime;
                seen.Add(Key(runtime));
            }
        }
        foreach (var key in _runtimes.Keys.Where(k => k.Kind == workload.Kind && !seen.Contains(k)))
        {
            _runtimes.TryRemove(key, out _);
        }
        return Task.CompletedTask;
    }

    public Task ChangedAsync(Workload workload, WatchEventType type, JsonElement item, CancellationToken cancellationToken)
    {
        if (Read(workload, item) is not { } runtime)
        {
            return Task.CompletedTask;
        }
        if (type == WatchEventType.Deleted)
        {
            _runtimes.TryRemove(Key(runtime), out _);
        }
        else
        {
            _runtimes[Key(runtime)] = runtime;
        }
        return Task.CompletedTask;
    }

    private static (string, string?, string) Key(TrainingRuntime runtime) => (runtime.Kind, runtime.Namespace, runtime.Name);

    private static TrainingRuntime? Read(Workload workload, JsonElement item)
    {
        if (JsonNode.Parse(item.GetRawText()) is not JsonObject node)
        {
            return null;
        }
        // Items of a list carry no kind; the informer's does.
        node["kind"] = workload.Kind;
        return TrainingRuntime.FromObject(node);
    }
}
