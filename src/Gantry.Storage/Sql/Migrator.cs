using System.Data.Common;
using System.Reflection;
using Dapper;

namespace Gantry.Storage.Sql;

/// <summary>
/// Applies the numbered scripts in Migrations/ that the database has not seen, each in its
/// own transaction, recording them in <c>schema_migrations</c>. The scripts are shared by both
/// dialects; <c>{{placeholders}}</c> stand for the column types that differ.
/// </summary>
public sealed class Migrator(SqlDatabase database)
{
    public Task MigrateAsync(CancellationToken cancellationToken) => MigrateAsync(long.MaxValue, cancellationToken);

    /// <summary>Applies the scripts up to and including <paramref name="throughVersion"/>: how tests build a database as an older Gantry left it.</summary>
    public async Task MigrateAsync(long throughVersion, CancellationToken cancellationToken)
    {
        await database.WriteAsync(async (connection, transaction) =>
        {
            // Under the lock too: PostgreSQL's CREATE TABLE IF NOT EXISTS is not safe against a
            // concurrent create of the same table (23505 on pg_type_typname_nsp_index).
            await LockAsync(connection, transaction);
            await connection.ExecuteAsync(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)",
                transaction: transaction);
        }, cancellationToken);

        foreach (var (version, script) in Scripts().Where(s => s.Version <= throughVersion))
        {
            await database.WriteAsync(async (connection, transaction) =>
            {
                await LockAsync(connection, transaction);
                var applied = await connection.ExecuteScalarAsync<long>(
                    "SELECT COUNT(*) FROM schema_migrations WHERE version = @version", new { version }, transaction);
                if (applied > 0)
                {
                    return;
                }
                await connection.ExecuteAsync(Expand(script), transaction: transaction);
                await connection.ExecuteAsync(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (@version, @at)",
                    new { version, at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, transaction);
            }, cancellationToken);
        }
    }

    private async Task LockAsync(DbConnection connection, DbTransaction transaction)
    {
        if (database.Dialect.MigrationLockSql.Length > 0)
        {
            await connection.ExecuteAsync(database.Dialect.MigrationLockSql, transaction: transaction);
        }
    }

    private string Expand(string script)
    {
        foreach (var (token, replacement) in database.Dialect.ScriptTokens)
        {
            script = script.Replace("{{" + token + "}}", replacement, StringComparison.Ordinal);
        }
        return script;
    }

    private static IEnumerable<(long Version, string Script)> Scripts()
    {
        var assembly = typeof(Migrator).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => (Version: long.Parse(n.Split('.')[^2].Split('_')[0], System.Globalization.CultureInfo.InvariantCulture), Name: n))
            .OrderBy(s => s.Version)
            .Select(s => (s.Version, Read(assembly, s.Name)));
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
