using Gantry.Backends;
using Gantry.Server.Jobs;

namespace Gantry.Server.Clusters;

/// <summary>One cluster's reports, applied only to jobs that are still placed on that cluster.</summary>
internal sealed class ClusterUpdateSink(string cluster, JobLifecycle lifecycle) : IJobUpdateSink
{
    public Task ReportAsync(JobUpdate update, CancellationToken cancellationToken) =>
        lifecycle.ReportFromAsync(cluster, update, cancellationToken);

    public Task RecreateAsync(string jobId, CancellationToken cancellationToken) =>
        lifecycle.RecreateAsync(cluster, jobId, cancellationToken);
}
