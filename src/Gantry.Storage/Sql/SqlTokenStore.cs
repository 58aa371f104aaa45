using System.Data.Common;
using Dapper;
using Gantry.Core.Errors;
using Gantry.Core.Users;

namespace Gantry.Storage.Sql;

internal sealed class SqlTokenStore(SqlDatabase database) : ITokenStore
{
    // Never token_hash: nothing read from here carries the secret or its hash.
    private const string Columns = "id, user_name, description, created_at, expires_at, last_used_at";

    public async Task AddAsync(UserToken token, string tokenHash, CancellationToken cancellationToken)
    {
        try
        {
            await database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO api_tokens (token_hash, id, user_name, description, created_at, expires_at, last_used_at)
                VALUES (@tokenHash, @id, @user, @description, @createdAt, @expiresAt, @lastUsedAt)
                """,
                new
                {
                    tokenHash, id = token.Id, user = token.User, description = token.Description,
                    createdAt = Time.ToDb(token.CreatedAt), expiresAt = Time.ToDb(token.ExpiresAt), lastUsedAt = Time.ToDb(token.LastUsedAt),
                },
                transaction, cancellationToken: cancellationToken)), cancellationToken);
        }
        catch (DbException ex) when (database.Dialect.IsForeignKeyViolation(ex))
        {
            throw new NotFoundException("User", token.User);
        }
    }

    public Task<UserToken?> FindByHashAsync(string tokenHash, CancellationToken cancellationToken) =>
        SingleAsync("token_hash = @tokenHash", new { tokenHash }, cancellationToken);

    public Task<UserToken?> GetAsync(string id, CancellationToken cancellationToken) =>
        SingleAsync("id = @id", new { id }, cancellationToken);

    public async Task<IReadOnlyList<UserToken>> ListAsync(string user, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<TokenRow>(new CommandDefinition(
            $"SELECT {Columns} FROM api_tokens WHERE user_name = @user ORDER BY created_at, id",
            new { user }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToToken()).ToList();
    }

    public async Task<bool> RevokeAsync(string id, CancellationToken cancellationToken) =>
        await database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM api_tokens WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken)), cancellationToken) > 0;

    public Task TouchAsync(string id, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            // Replicas touch independently: never move the time backwards.
            "UPDATE api_tokens SET last_used_at = @at WHERE id = @id AND (last_used_at IS NULL OR last_used_at < @at)",
            new { id, at = Time.ToDb(at) }, transaction, cancellationToken: cancellationToken)), cancellationToken);

    private async Task<UserToken?> SingleAsync(string condition, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<TokenRow>(new CommandDefinition(
            $"SELECT {Columns} FROM api_tokens WHERE {condition}", parameters, cancellationToken: cancellationToken));
        return row?.ToToken();
    }

    private sealed class TokenRow
    {
        public string Id { get; set; } = "";
        public string UserName { get; set; } = "";
        public string Description { get; set; } = "";
        public long CreatedAt { get; set; }
        public long? ExpiresAt { get; set; }
        public long? LastUsedAt { get; set; }

        public UserToken ToToken() => new(Id, UserName, Description, Time.FromDb(CreatedAt), Time.FromDb(ExpiresAt), Time.FromDb(LastUsedAt));
    }
}
