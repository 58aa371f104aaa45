using Gantry.Storage.Sqlite;

namespace Gantry.Server.Options;

public sealed class StorageOptions
{
    /// <summary><c>sqlite</c> (embedded, the default) or <c>postgres</c>.</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>PostgreSQL connection string; for SQLite an optional file path (default: &lt;data dir&gt;/gantry.db).</summary>
    public string ConnectionString { get; set; } = "";

    public SqliteSynchronous SqliteSynchronous { get; set; } = SqliteSynchronous.Full;
}
