namespace Gantry.Core.LocalRuns;

/// <summary>
/// The gateway's machine as a job run there would find it: <paramref name="SearchPath"/> is the PATH
/// the job gets unless its container sets one (the gateway's own, filtered as the local backend
/// filters it), <paramref name="SparkApplications"/> whether the local backend runs SparkApplications.
/// </summary>
public sealed record LocalMachine(string SearchPath, IMachineFiles Files, bool SparkApplications = false);
