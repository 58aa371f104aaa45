using System.Data.Common;
using Gantry.Storage.Sql;
using Npgsql;

namespace Gantry.Storage.Postgres;

public sealed class PostgresDialect(NpgsqlDataSource dataSource) : SqlDialect
{
    public override string Name => "postgres";

    public override bool SerializeWrites => false;

    public override IReadOnlyDictionary<string, string> ScriptTokens { get; } = new Dictionary<string, string>
    {
        ["serial_pk"] = "BIGSERIAL PRIMARY KEY",
        ["double"] = "DOUBLE PRECISION",
        // Evaluated per row (random() is volatile); ids are not secrets, so md5 of random() will do.
        ["random_hex16"] = "substr(md5(random()::text || clock_timestamp()::text), 1, 16)",
    };

    // Any constant works as long as every replica uses the same one.
    public override string MigrationLockSql => "SELECT pg_advisory_xact_lock(7411020)";

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await dataSource.OpenConnectionAsync(cancellationToken);

    public override string LabelValueSql(string parameter) => $"(labels::jsonb ->> {parameter})";

    public override string LabelParameter(string key) => key;

    public override string InListSql(string expression, string parameter, bool negate = false) =>
        negate ? $"{expression} <> ALL({parameter})" : $"{expression} = ANY({parameter})";

    // clock_timestamp(), not now(): now() is the transaction's start.
    public override string NowMillisSql => "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";

    public override string ForShareSql => " FOR SHARE";

    public override string ForUpdateSql => " FOR UPDATE";

    /// <summary>The channel every replica LISTENs on; a notification is sent at commit, and not at all on rollback.</summary>
    public const string JobsChannel = "gantry_jobs";

    public override string NotifySql => $"SELECT pg_notify('{JobsChannel}', @payload)";

    public override bool IsUniqueViolation(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public override bool IsForeignKeyViolation(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation };
}
