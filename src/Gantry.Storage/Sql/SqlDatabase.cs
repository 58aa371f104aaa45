using System.Data.Common;
using Dapper;

namespace Gantry.Storage.Sql;

/// <summary>Connections and write transactions for one database, whichever dialect it speaks.</summary>
public sealed class SqlDatabase(SqlDialect dialect) : IDisposable
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    static SqlDatabase()
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    public SqlDialect Dialect { get; } = dialect;

    public Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => Dialect.OpenAsync(cancellationToken);

    /// <summary>Runs <paramref name="work"/> in one transaction, committed when it returns.</summary>
    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        if (Dialect.SerializeWrites)
        {
            await _writeLock.WaitAsync(cancellationToken);
        }
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var result = await work(connection, transaction);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        finally
        {
            if (Dialect.SerializeWrites)
            {
                _writeLock.Release();
            }
        }
    }

    public Task WriteAsync(Func<DbConnection, DbTransaction, Task> work, CancellationToken cancellationToken) =>
        WriteAsync(async (c, t) =>
        {
            await work(c, t);
            return true;
        }, cancellationToken);

    public void Dispose() => _writeLock.Dispose();
}
