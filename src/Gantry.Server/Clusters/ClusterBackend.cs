using Gantry.Backends;

namespace Gantry.Server.Clusters;

/// <summary>The faces of one backend: it runs jobs, reports capacity, serves logs, and may judge manifests by the cluster's own schemas.</summary>
public sealed record ClusterBackend(IClusterBackend Runner, ICapacitySource Capacity, ILogSource Logs, IManifestValidator? Schemas = null);
