using System.Text.Json;
using k8s;

namespace Gantry.Backends.Kubernetes;

/// <summary>What an informer tells about the custom resources of one kind.</summary>
internal interface IResourceEvents
{
    /// <summary>A full list: every object there is now. <paramref name="listStarted"/> is the tracker's tick when the list was asked for.</summary>
    Task ListedAsync(Workload workload, IReadOnlyList<JsonElement> items, long listStarted, CancellationToken cancellationToken);

    /// <summary>One watch event (never a bookmark).</summary>
    Task ChangedAsync(Workload workload, WatchEventType type, JsonElement item, CancellationToken cancellationToken);
}
