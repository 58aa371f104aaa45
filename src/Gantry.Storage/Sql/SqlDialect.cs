using System.Data.Common;

namespace Gantry.Storage.Sql;

/// <summary>
/// What differs between the two databases. The SQL itself is shared: both speak
/// <c>ON CONFLICT</c>, <c>RETURNING</c> and <c>@name</c> parameters.
/// </summary>
public abstract class SqlDialect
{
    public abstract string Name { get; }

    /// <summary>SQLite has one writer at a time: serialising writes in-process avoids busy errors.</summary>
    public abstract bool SerializeWrites { get; }

    /// <summary>Replacements for the type placeholders in migration scripts.</summary>
    public abstract IReadOnlyDictionary<string, string> ScriptTokens { get; }

    /// <summary>Run inside the migration transaction so that concurrent replicas migrate one at a time.</summary>
    public abstract string MigrationLockSql { get; }

    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>An expression for the value of one label in the JSON <c>labels</c> column; the key goes in <paramref name="parameter"/>.</summary>
    public abstract string LabelValueSql(string parameter);

    /// <summary>The parameter value that <see cref="LabelValueSql"/> expects for <paramref name="key"/>.</summary>
    public abstract string LabelParameter(string key);

    /// <summary>
    /// A condition that <paramref name="expression"/> is (or, <paramref name="negate"/>d, is not) one of the
    /// values of the list parameter <paramref name="parameter"/>. Dapper expands <c>IN @list</c> into one
    /// parameter per value for SQLite but passes a list to Npgsql as a single array parameter, for which
    /// PostgreSQL needs <c>= ANY(@list)</c>.
    /// </summary>
    public abstract string InListSql(string expression, string parameter, bool negate = false);

    /// <summary>An expression for the database's clock now, in Unix milliseconds (the clock that judges lease expiry).</summary>
    public abstract string NowMillisSql { get; }

    /// <summary>
    /// Appended to the fence check of a leader's write: PostgreSQL's <c>FOR SHARE</c> makes the
    /// write wait for (and then see) a concurrent takeover. SQLite has one writer at a time already.
    /// </summary>
    public abstract string ForShareSql { get; }

    /// <summary>What locks a row read in a write transaction against concurrent writers (SQLite: nothing, its writes are serial).</summary>
    public abstract string ForUpdateSql { get; }

    /// <summary>
    /// A statement run in every transaction that changes jobs, telling other replicas what changed
    /// (parameter <c>@payload</c>: a job id, or <c>*</c> for new jobs); null where one process is all there is.
    /// </summary>
    public virtual string? NotifySql => null;

    public abstract bool IsUniqueViolation(DbException exception);

    public abstract bool IsForeignKeyViolation(DbException exception);
}
