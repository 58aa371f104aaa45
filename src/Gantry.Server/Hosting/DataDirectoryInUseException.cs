namespace Gantry.Server.Hosting;

/// <summary>Another gateway holds the SQLite data dir's lock (<see cref="DataDirectoryLock"/>).</summary>
public sealed class DataDirectoryInUseException(string dataDir, string holder)
    : Exception($"the data dir {dataDir} is in use by gantry serve ({holder}); stop it or use --data-dir. SQLite is for a single process: replicas need --store postgres.")
{
    public string DataDir { get; } = dataDir;

    public string Holder { get; } = holder;
}
