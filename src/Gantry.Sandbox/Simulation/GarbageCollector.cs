using Gantry.Sandbox.Api;
using Gantry.Sandbox.Hosting;
using Gantry.Sandbox.Store;

namespace Gantry.Sandbox.Simulation;

/// <summary>Deletes objects whose owner (by <c>ownerReferences</c> uid) is gone, and the logs of deleted pods.</summary>
internal sealed class GarbageCollector(ClusterState state)
{
    public void Step()
    {
        var all = state.Store.All();
        var uids = all.Select(o => o.Object.Uid()).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, obj) in all)
        {
            var owners = (obj["metadata"]?["ownerReferences"] as System.Text.Json.Nodes.JsonArray ?? []).Select(o => ObjectMeta.Text(o?["uid"])).ToList();
            if (owners.Count == 0 || owners.Any(uid => uid is not null && uids.Contains(uid)))
            {
                continue;
            }
            if (state.Catalog.Find(key.Group, key.Plural) is not { } type)
            {
                continue;
            }
            try
            {
                state.Store.Delete(type, key);
            }
            catch (ApiException e) when (e.Code == 404)
            {
                // Already gone.
            }
            if (key.Plural == "pods" && key.Group.Length == 0)
            {
                state.Logs.Remove(key.Namespace, key.Name);
            }
        }
    }
}
