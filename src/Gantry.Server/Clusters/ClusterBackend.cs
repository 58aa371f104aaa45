using Gantry.Backends;

namespace Gantry.Server.Clusters;

/// <summary>
/// The faces of one backend: it runs jobs, reports capacity, serves logs, may judge manifests by
/// the cluster's own schemas, and may reach a running Spark driver's UI.
/// </summary>
public sealed record ClusterBackend(
    IClusterBackend Runner, ICapacitySource Capacity, ILogSource Logs, IManifestValidator? Schemas = null, ISparkUiSource? SparkUi = null);
