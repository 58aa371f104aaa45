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

    public abstract bool IsUniqueViolation(DbException exception);

    /// <summary>
    /// "<paramref name="column"/> is one of the list in <paramref name="parameter"/>". Dapper expands a list
    /// into parameters for SQLite but passes it to Npgsql as one array, which needs <c>= ANY</c>.
    /// </summary>
    public abstract string InList(string column, string parameter);
}
