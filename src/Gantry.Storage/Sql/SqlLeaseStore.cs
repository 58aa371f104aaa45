using Dapper;

namespace Gantry.Storage.Sql;

/// <summary>
/// The lease row of the reference design: taken with one upsert that only succeeds when the row is
/// free, expired or already ours, judged by the database's clock unless the caller brings its own.
/// </summary>
internal sealed class SqlLeaseStore(SqlDatabase database) : ILeaseStore
{
    public async Task<long?> TryAcquireAsync(LeaseRequest request, CancellationToken cancellationToken)
    {
        return await database.WriteAsync(async (connection, transaction) =>
        {
            var now = request.Now is { } given
                ? Time.ToDb(given)
                : await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT " + database.Dialect.NowMillisSql, transaction: transaction, cancellationToken: cancellationToken));
            // The epoch carries on only for a holder renewing an unexpired lease without a gap in
            // acting; any other win (a takeover, or the same holder after it stopped acting) is a new term.
            return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                """
                INSERT INTO leases AS l (name, holder, epoch, acquired_at, renewed_at, expires_at)
                VALUES (@lease, @holder, 1, @now, @now, @expires)
                ON CONFLICT (name) DO UPDATE SET
                    epoch = CASE WHEN l.holder = excluded.holder AND l.expires_at > @now AND @continuing = 1 THEN l.epoch ELSE l.epoch + 1 END,
                    acquired_at = CASE WHEN l.holder = excluded.holder AND l.expires_at > @now AND @continuing = 1 THEN l.acquired_at ELSE excluded.acquired_at END,
                    holder = excluded.holder,
                    renewed_at = excluded.renewed_at,
                    expires_at = excluded.expires_at
                WHERE l.holder = excluded.holder OR l.expires_at <= @now OR @force = 1
                RETURNING epoch
                """,
                new
                {
                    lease = request.Lease,
                    holder = request.Holder,
                    now,
                    expires = now + (long)request.Ttl.TotalMilliseconds,
                    continuing = request.Continuing ? 1 : 0,
                    force = request.Force ? 1 : 0,
                },
                transaction, cancellationToken: cancellationToken));
        }, cancellationToken);
    }

    public async Task ReleaseAsync(string lease, string holder, CancellationToken cancellationToken)
    {
        await database.WriteAsync(async (connection, transaction) =>
        {
            // Expired, not deleted: the epoch must keep growing across terms.
            await connection.ExecuteAsync(new CommandDefinition(
                $"UPDATE leases SET expires_at = {database.Dialect.NowMillisSql} - 1 WHERE name = @lease AND holder = @holder",
                new { lease, holder }, transaction, cancellationToken: cancellationToken));
        }, cancellationToken);
    }

    public async Task<LeaseRecord?> GetAsync(string lease, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<LeaseRow>(new CommandDefinition(
            "SELECT name, holder, epoch, acquired_at, renewed_at, expires_at FROM leases WHERE name = @lease",
            new { lease }, cancellationToken: cancellationToken));
        return row is null
            ? null
            : new LeaseRecord(row.Name, row.Holder, row.Epoch, Time.FromDb(row.AcquiredAt), Time.FromDb(row.RenewedAt), Time.FromDb(row.ExpiresAt));
    }

    public async Task<DateTimeOffset> NowAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return Time.FromDb(await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT " + database.Dialect.NowMillisSql, cancellationToken: cancellationToken)));
    }

    /// <summary>
    /// The fence of a leader's write, run first in the write's transaction: no row means the term is over.
    /// </summary>
    internal static async Task CheckAsync(SqlDatabase database, System.Data.Common.DbConnection connection,
        System.Data.Common.DbTransaction transaction, LeaseFence fence, CancellationToken cancellationToken)
    {
        var held = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT epoch FROM leases WHERE name = @Lease AND holder = @Holder AND epoch = @Epoch" + database.Dialect.ForShareSql,
            fence, transaction, cancellationToken: cancellationToken));
        if (held is null)
        {
            throw new FencedOutException(fence);
        }
    }

    private sealed class LeaseRow
    {
        public string Name { get; set; } = "";
        public string Holder { get; set; } = "";
        public long Epoch { get; set; }
        public long AcquiredAt { get; set; }
        public long RenewedAt { get; set; }
        public long ExpiresAt { get; set; }
    }
}
