using Gantry.Backends;
using Gantry.Storage;

namespace Gantry.Server.Clusters;

/// <summary>The store's word on where a job belongs, for a backend that finds a copy of it on its cluster.</summary>
internal sealed class StoreJobDirectory(IGantryStore store) : IJobDirectory
{
    public async Task<bool> HasLeftAsync(string jobId, string cluster, CancellationToken cancellationToken) =>
        await store.Jobs.GetAsync(jobId, cancellationToken) is { } job && (job.Cluster != cluster || job.IsTerminal);
}
