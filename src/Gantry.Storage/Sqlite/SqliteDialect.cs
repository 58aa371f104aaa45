using System.Data.Common;
using Gantry.Storage.Sql;
using Microsoft.Data.Sqlite;

namespace Gantry.Storage.Sqlite;

public sealed class SqliteDialect : SqlDialect
{
    private readonly string _connectionString;
    private readonly string _pragmas;

    public SqliteDialect(string path, SqliteSynchronous synchronous)
    {
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        // synchronous and busy_timeout are per connection, so they are set on every open.
        _pragmas = $"PRAGMA synchronous={synchronous.ToString().ToUpperInvariant()}; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;";
    }

    public override string Name => "sqlite";

    public override bool SerializeWrites => true;

    public override IReadOnlyDictionary<string, string> ScriptTokens { get; } = new Dictionary<string, string>
    {
        ["serial_pk"] = "INTEGER PRIMARY KEY AUTOINCREMENT",
        ["double"] = "REAL",
        // Evaluated per row: 16 random hex digits (ids of tokens that predate them, migration 006).
        ["random_hex16"] = "lower(hex(randomblob(8)))",
    };

    public override string MigrationLockSql => "";

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    /// <summary>Switches the file to write-ahead logging; persistent, so once per start is enough.</summary>
    public async Task EnableWalAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // Label keys may hold dots and slashes (app.kubernetes.io/name): quote them in the JSON path.
    public override string LabelValueSql(string parameter) => $"json_extract(labels, {parameter})";

    public override string LabelParameter(string key) => "$.\"" + key + "\"";

    public override string InListSql(string expression, string parameter, bool negate = false) =>
        negate ? $"{expression} NOT IN {parameter}" : $"{expression} IN {parameter}";

    // Error 19 (SQLITE_CONSTRAINT) covers every constraint; the extended code says which one.
    private const int ConstraintForeignKey = 787;
    private const int ConstraintPrimaryKey = 1555;
    private const int ConstraintUnique = 2067;

    public override string NowMillisSql => "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";

    public override string ForShareSql => "";

    public override string ForUpdateSql => "";

    public override bool IsUniqueViolation(DbException exception) =>
        exception is SqliteException { SqliteExtendedErrorCode: ConstraintUnique or ConstraintPrimaryKey };

    public override bool IsForeignKeyViolation(DbException exception) =>
        exception is SqliteException { SqliteExtendedErrorCode: ConstraintForeignKey };
}
