using Dapper;

namespace Gantry.Storage.Sql;

internal sealed class SqlJobTokenStore(SqlDatabase database) : IJobTokenStore
{
    public Task SetAsync(string jobId, string tokenHash, DateTimeOffset createdAt, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO job_tokens (job_id, token_hash, created_at) VALUES (@jobId, @tokenHash, @at)
            ON CONFLICT (job_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at
            """,
            new { jobId, tokenHash, at = Time.ToDb(createdAt) }, transaction, cancellationToken: cancellationToken)), cancellationToken);

    public async Task<string?> FindJobAsync(string tokenHash, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT job_id FROM job_tokens WHERE token_hash = @tokenHash", new { tokenHash }, cancellationToken: cancellationToken));
    }
}
