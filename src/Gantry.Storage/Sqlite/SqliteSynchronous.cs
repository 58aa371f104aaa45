namespace Gantry.Storage.Sqlite;

/// <summary>
/// SQLite's <c>synchronous</c> setting in WAL mode. Full: every commit is fsynced, so a
/// committed job survives a power cut. Normal: commits survive a crash of the gateway
/// (kill -9) but the last ones may be lost if the machine loses power.
/// </summary>
public enum SqliteSynchronous
{
    Full,
    Normal,
}
