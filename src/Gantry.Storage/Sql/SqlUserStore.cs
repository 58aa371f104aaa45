using Dapper;
using Gantry.Core.Errors;
using Gantry.Core.Users;

namespace Gantry.Storage.Sql;

internal sealed class SqlUserStore(SqlDatabase database) : IUserStore
{
    public async Task<User> CreateAsync(User user, CancellationToken cancellationToken)
    {
        var created = await database.WriteAsync(async (connection, transaction) =>
        {
            // Taken from a counter (migration 007) rather than MAX(number) + 1, so a number is never
            // handed out twice; a conflict below leaves a gap, which is harmless.
            var number = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "UPDATE counters SET value = value + 1 WHERE name = 'user_number' RETURNING value",
                transaction: transaction, cancellationToken: cancellationToken));
            var inserted = await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO users (name, role, created_at, number) VALUES (@name, @role, @at, @number) ON CONFLICT DO NOTHING",
                new { name = user.Name, role = user.Role.ToString(), at = Time.ToDb(user.CreatedAt), number },
                transaction, cancellationToken: cancellationToken));
            return inserted == 0 ? (User?)null : user with { Number = number };
        }, cancellationToken);
        return created ?? throw new ConflictException($"User '{user.Name}' already exists.");
    }

    public async Task<User?> GetAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            "SELECT name, role, created_at, number FROM users WHERE name = @name", new { name }, cancellationToken: cancellationToken));
        return row?.ToUser();
    }

    public async Task<IReadOnlyList<User>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<UserRow>(new CommandDefinition(
            "SELECT name, role, created_at, number FROM users ORDER BY name", cancellationToken: cancellationToken));
        return rows.Select(r => r.ToUser()).ToList();
    }

    public async Task<User?> FindByTokenHashAsync(string tokenHash, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            "SELECT u.name, u.role, u.created_at, u.number FROM api_tokens t JOIN users u ON u.name = t.user_name WHERE t.token_hash = @tokenHash",
            new { tokenHash }, cancellationToken: cancellationToken));
        return row?.ToUser();
    }

    private sealed class UserRow
    {
        public string Name { get; set; } = "";
        public string Role { get; set; } = "";
        public long CreatedAt { get; set; }
        public long? Number { get; set; }

        public User ToUser() => new(Name, Enum.Parse<Role>(Role), Time.FromDb(CreatedAt)) { Number = Number ?? 0 };
    }
}
