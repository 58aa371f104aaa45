using Gantry.Backends;

namespace Gantry.Bench.Kubernetes;

/// <summary>The watcher benchmark feeds events by hand: no copy of a job is ever stale.</summary>
internal sealed class NoJobDirectory : IJobDirectory
{
    public Task<bool> HasLeftAsync(string jobId, string cluster, CancellationToken cancellationToken) => Task.FromResult(false);
}
