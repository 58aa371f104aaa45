using Gantry.Backends;

namespace Gantry.Server.Clusters;

/// <summary>The three faces of one backend: it runs jobs, reports capacity, serves logs.</summary>
public sealed record ClusterBackend(IClusterBackend Runner, ICapacitySource Capacity, ILogSource Logs);
