using Gantry.Sandbox.Api;
using Gantry.Sandbox.Hosting;

namespace Gantry.Sandbox.Simulation;

/// <summary>Deletes objects all of whose owners (by <c>ownerReferences</c> uid) are gone, and the logs of deleted pods.</summary>
internal sealed class GarbageCollector(ClusterState state)
{
    public void Step()
    {
        var (owned, uids) = state.Store.OwnerLinks();
        foreach (var (key, owners) in owned)
        {
            if (owners.Any(uids.Contains) || state.Catalog.Find(key.Group, key.Plural) is not { } type)
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
