using Gantry.Backends;

namespace Gantry.Server.Clusters;

/// <summary>
/// The faces of one backend: it runs jobs, reports capacity, serves logs; a remote cluster's backend
/// may also judge manifests by the cluster's own schemas, give up on jobs when the cluster is lost,
/// and say why a placed job's pods wait.
/// </summary>
public sealed record ClusterBackend(
    IClusterBackend Runner,
    ICapacitySource Capacity,
    ILogSource Logs,
    IManifestValidator? Schemas = null,
    IAbandonJobs? Abandon = null,
    IPendingReasons? Pending = null);
