using Dapper;
using Gantry.Core.Errors;
using Gantry.Core.Users;
using Gantry.Storage.Sql;
using Gantry.Storage.Tests.Infrastructure;

namespace Gantry.Storage.Tests.Contracts;

public abstract class TokenStoreContract(StoreFixture fixture) : StoreContract(fixture)
{
    private ITokenStore Tokens => Store.Tokens;

    public static UserToken Token(string user, string description, DateTimeOffset createdAt, DateTimeOffset? expiresAt = null) =>
        new(ApiToken.NewId(), user, description, createdAt, expiresAt, null);

    private async Task<string> UserAsync(string prefix)
    {
        var name = Unique.Name(prefix);
        await Store.Users.CreateAsync(new User(name, Role.User, TestClock.Start), Ct);
        return name;
    }

    [ContractFact]
    public async Task A_token_is_found_by_its_hash_and_by_its_id_with_everything_stored()
    {
        var ann = await UserAsync("ann");
        var token = Token(ann, "laptop", TestClock.At(1), expiresAt: TestClock.At(86_400));
        var hash = ApiToken.Hash(ApiToken.New());

        await Tokens.AddAsync(token, hash, Ct);

        Assert.Equal(token, await Tokens.FindByHashAsync(hash, Ct));
        Assert.Equal(token, await Tokens.GetAsync(token.Id, Ct));
        Assert.Null(await Tokens.FindByHashAsync(ApiToken.Hash(ApiToken.New()), Ct));
        Assert.Null(await Tokens.GetAsync(ApiToken.NewId(), Ct));
    }

    [ContractFact]
    public async Task A_user_lists_their_own_tokens_oldest_first_and_no_one_elses()
    {
        var ann = await UserAsync("ann");
        var bob = await UserAsync("bob");
        var later = Token(ann, "ci", TestClock.At(2));
        var earlier = Token(ann, "laptop", TestClock.At(1), expiresAt: TestClock.At(100));
        foreach (var token in new[] { later, earlier, Token(bob, "bob's", TestClock.At(0)) })
        {
            await Tokens.AddAsync(token, ApiToken.Hash(ApiToken.New()), Ct);
        }

        Assert.Equal([earlier, later], await Tokens.ListAsync(ann, Ct));
        Assert.Empty(await Tokens.ListAsync(Unique.Name("nobody"), Ct));
    }

    [ContractFact]
    public async Task A_revoked_token_is_found_no_more_and_revoking_it_again_finds_nothing()
    {
        var ann = await UserAsync("ann");
        var (kept, revoked) = (Token(ann, "kept", TestClock.At(1)), Token(ann, "revoked", TestClock.At(2)));
        var revokedHash = ApiToken.Hash(ApiToken.New());
        await Tokens.AddAsync(kept, ApiToken.Hash(ApiToken.New()), Ct);
        await Tokens.AddAsync(revoked, revokedHash, Ct);

        Assert.True(await Tokens.RevokeAsync(revoked.Id, Ct));

        Assert.Null(await Tokens.FindByHashAsync(revokedHash, Ct));
        Assert.Null(await Tokens.GetAsync(revoked.Id, Ct));
        Assert.Null(await Store.Users.FindByTokenHashAsync(revokedHash, Ct));
        Assert.False(await Tokens.RevokeAsync(revoked.Id, Ct));
        Assert.Equal([kept], await Tokens.ListAsync(ann, Ct));
    }

    [ContractFact]
    public async Task Touching_records_the_last_use_and_never_moves_it_back()
    {
        var ann = await UserAsync("ann");
        var token = Token(ann, "laptop", TestClock.At(1));
        await Tokens.AddAsync(token, ApiToken.Hash(ApiToken.New()), Ct);

        await Tokens.TouchAsync(token.Id, TestClock.At(60), Ct);
        await Tokens.TouchAsync(token.Id, TestClock.At(30), Ct);

        Assert.Equal(TestClock.At(60), (await Tokens.GetAsync(token.Id, Ct))!.LastUsedAt);
        await Tokens.TouchAsync(token.Id, TestClock.At(120), Ct);
        Assert.Equal(TestClock.At(120), (await Tokens.GetAsync(token.Id, Ct))!.LastUsedAt);
    }

    [ContractFact]
    public async Task A_token_for_an_unknown_user_is_not_found_and_not_stored()
    {
        var token = Token(Unique.Name("ghost"), "laptop", TestClock.Start);

        var error = await Assert.ThrowsAsync<NotFoundException>(() => Tokens.AddAsync(token, ApiToken.Hash(ApiToken.New()), Ct));

        Assert.Equal(token.User, error.Id);
        Assert.Null(await Tokens.GetAsync(token.Id, Ct));
    }

    [ContractFact]
    public async Task Tokens_issued_before_migration_6_keep_working_and_get_distinct_ids()
    {
        var location = await Fixture.CreateDatabaseAsync(Ct);
        var hashes = Enumerable.Range(0, 3).Select(_ => ApiToken.Hash(ApiToken.New())).ToList();
        await Fixture.WithDatabaseAsync(location, async database =>
        {
            await new Migrator(database).MigrateAsync(throughVersion: 5, Ct);
            await database.WriteAsync(async (connection, transaction) =>
            {
                await connection.ExecuteAsync("INSERT INTO users (name, role, created_at) VALUES ('old', 'Admin', 1)", transaction: transaction);
                foreach (var hash in hashes)
                {
                    await connection.ExecuteAsync(
                        "INSERT INTO api_tokens (token_hash, user_name, description, created_at) VALUES (@hash, 'old', 'from before', 2)",
                        new { hash }, transaction);
                }
            }, Ct);
        });

        await using var migrated = await Fixture.OpenAsync(location, Ct);

        var found = new List<UserToken>();
        foreach (var hash in hashes)
        {
            var token = await migrated.Tokens.FindByHashAsync(hash, Ct);
            Assert.NotNull(token);
            Assert.Matches("^tok_[0-9a-f]{16}$", token.Id);
            Assert.Equal(("old", "from before", (DateTimeOffset?)null), (token.User, token.Description, token.ExpiresAt));
            Assert.Equal("old", (await migrated.Users.FindByTokenHashAsync(hash, Ct))?.Name);
            found.Add(token);
        }
        Assert.Equal(3, found.Select(t => t.Id).Distinct().Count());
        Assert.Equal(found.OrderBy(t => t.Id, StringComparer.Ordinal), (await migrated.Tokens.ListAsync("old", Ct)).OrderBy(t => t.Id, StringComparer.Ordinal));
        Assert.True(await migrated.Tokens.RevokeAsync(found[0].Id, Ct));
        Assert.Null(await migrated.Tokens.FindByHashAsync(hashes[0], Ct));
    }
}
