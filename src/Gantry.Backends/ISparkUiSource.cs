using Gantry.Core.Jobs;

namespace Gantry.Backends;

/// <summary>Where a job's running Spark driver UI answers, for the gateway's proxy.</summary>
public interface ISparkUiSource
{
    /// <summary>The job's UI while its driver runs here; null when it has none (not Spark, not running, not this backend's).</summary>
    SparkUiUpstream? FindSparkUi(Job job);
}
