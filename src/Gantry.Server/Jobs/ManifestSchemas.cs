using System.Text.Json.Nodes;
using Gantry.Core.Clusters;
using Gantry.Core.Validation;
using Gantry.Server.Clusters;
using Gantry.Storage;

namespace Gantry.Server.Jobs;

/// <summary>
/// Checks a manifest against the CRD schemas of the clusters that could run it, at submission, so
/// a manifest the API server would refuse with a 422 is refused by Gantry before it is queued.
/// A manifest passes if any cluster's schema accepts it (clusters may run different operator
/// versions); when every one that knows the kind rejects it, the first one's causes are answered.
/// </summary>
public sealed class ManifestSchemas(IGantryStore store, BackendRegistry backends)
{
    public async Task CheckAsync(JsonObject manifest, ValidationErrors errors, CancellationToken cancellationToken)
    {
        var clusters = (await store.Clusters.ListAsync(cancellationToken))
            .Where(c => c.Type == ClusterTypes.Kubernetes)
            .OrderBy(c => c.Name, StringComparer.Ordinal);
        IReadOnlyList<Core.Schemas.SchemaCause>? first = null;
        foreach (var cluster in clusters)
        {
            // Only clusters already connected: a submission never waits for a connection to be made.
            if (backends.Find(cluster)?.Schemas?.Validate(manifest) is not { } causes)
            {
                continue;
            }
            if (causes.Count == 0)
            {
                return;
            }
            first ??= causes;
        }
        foreach (var cause in first ?? [])
        {
            errors.Add($"manifest.{cause.Field}", cause.Message);
        }
    }
}
