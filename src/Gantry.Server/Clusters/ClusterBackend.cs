using Gantry.Backends;

namespace Gantry.Server.Clusters;

/// <summary>
/// The faces of one backend: it runs jobs, reports capacity, serves logs; it may judge manifests by
/// the cluster's own schemas, reach a running Spark driver's UI, give up on jobs when the cluster is
/// lost, and say why a placed job's pods wait.
/// </summary>
public sealed record ClusterBackend(
    IClusterBackend Runner,
    ICapacitySource Capacity,
    ILogSource Logs,
    IManifestValidator? Schemas = null,
    ISparkUiSource? SparkUi = null,
    IAbandonJobs? Abandon = null,
    IPendingReasons? Pending = null);
