using Gantry.Core.Metrics;

namespace Gantry.Storage;

public interface IMetricStore
{
    /// <summary>Stores the observations of one push in one transaction.</summary>
    Task AppendAsync(string jobId, IReadOnlyList<Observation> observations, CancellationToken cancellationToken);

    /// <summary>The job's observations (of one metric when <paramref name="name"/> is given), by name, step, then time.</summary>
    Task<IReadOnlyList<Observation>> ListAsync(string jobId, string? name, CancellationToken cancellationToken);
}
