using System.Collections.Concurrent;
using Gantry.Backends;

namespace Gantry.Kubernetes.Tests.Support;

/// <summary>The store's answer, as a test sets it: the jobs that have left the cluster (failed over, or queued again).</summary>
internal sealed class MovedJobs : IJobDirectory
{
    private readonly ConcurrentDictionary<string, byte> _moved = new(StringComparer.Ordinal);

    public void Move(string jobId) => _moved[jobId] = 0;

    public Task<bool> HasLeftAsync(string jobId, string cluster, CancellationToken cancellationToken) =>
        Task.FromResult(_moved.ContainsKey(jobId));
}
