using Gantry.Core.Errors;
using Gantry.Core.Users;
using Gantry.Storage.Tests.Infrastructure;

namespace Gantry.Storage.Tests.Contracts;

public abstract class UserStoreContract(StoreFixture fixture) : StoreContract(fixture)
{
    private IUserStore Users => Store.Users;

    [ContractFact]
    public async Task Create_then_get_returns_the_user()
    {
        var user = new User(Unique.Name("ann"), Role.Admin, TestClock.At(1.5));

        var created = await Users.CreateAsync(user, Ct);

        Assert.Equal(user with { Number = created.Number }, created);
        Assert.True(created.Number > 0);
        Assert.Equal(created, await Users.GetAsync(user.Name, Ct));
    }

    [ContractFact]
    public async Task Creating_a_taken_name_is_a_conflict_and_keeps_the_first()
    {
        var user = await Users.CreateAsync(new User(Unique.Name("ann"), Role.User, TestClock.Start), Ct);

        await Assert.ThrowsAsync<ConflictException>(() => Users.CreateAsync(user with { Role = Role.Admin }, Ct));

        Assert.Equal(user, await Users.GetAsync(user.Name, Ct));
    }

    [ContractFact]
    public async Task Each_new_user_gets_a_new_number_and_a_taken_name_burns_none_twice()
    {
        var first = await Users.CreateAsync(new User(Unique.Name("num"), Role.User, TestClock.Start), Ct);
        await Assert.ThrowsAsync<ConflictException>(() => Users.CreateAsync(first with { Number = 0 }, Ct));
        var second = await Users.CreateAsync(new User(Unique.Name("num"), Role.User, TestClock.Start), Ct);

        // Other tests create users meanwhile: numbers only grow, and no two users share one.
        Assert.True(second.Number > first.Number);
        var all = await Users.ListAsync(Ct);
        Assert.Equal(all.Count, all.Select(u => u.Number).Distinct().Count());
        Assert.DoesNotContain(all, u => u.Number <= 0);
    }

    [ContractFact]
    public async Task Get_of_an_unknown_user_returns_null()
    {
        Assert.Null(await Users.GetAsync(Unique.Name("nobody"), Ct));
    }

    [ContractFact]
    public async Task List_returns_the_users_by_name()
    {
        var prefix = Unique.Name("list");
        var users = new List<User>();
        foreach (var name in new[] { "carol", "ann", "bob" })
        {
            users.Add(await Users.CreateAsync(new User($"{prefix}.{name}", Role.User, TestClock.Start), Ct));
        }

        var all = await Users.ListAsync(Ct);

        Assert.Equal(all.Select(u => u.Name).Order(StringComparer.Ordinal), all.Select(u => u.Name));
        Assert.Equal(users.OrderBy(u => u.Name, StringComparer.Ordinal), all.Where(u => u.Name.StartsWith(prefix, StringComparison.Ordinal)));
    }

    [ContractFact]
    public async Task A_token_hash_finds_its_user()
    {
        var ann = await Users.CreateAsync(new User(Unique.Name("ann"), Role.User, TestClock.Start), Ct);
        var bob = await Users.CreateAsync(new User(Unique.Name("bob"), Role.Admin, TestClock.Start), Ct);
        var (annLaptop, annCi, bobToken) = (ApiToken.Hash(ApiToken.New()), ApiToken.Hash(ApiToken.New()), ApiToken.Hash(ApiToken.New()));

        await Store.Tokens.AddAsync(TokenStoreContract.Token(ann.Name, "laptop", TestClock.At(1)), annLaptop, Ct);
        await Store.Tokens.AddAsync(TokenStoreContract.Token(ann.Name, "ci", TestClock.At(2)), annCi, Ct);
        await Store.Tokens.AddAsync(TokenStoreContract.Token(bob.Name, "cli", TestClock.At(3)), bobToken, Ct);

        Assert.Equal(ann, await Users.FindByTokenHashAsync(annLaptop, Ct));
        Assert.Equal(ann, await Users.FindByTokenHashAsync(annCi, Ct));
        Assert.Equal(bob, await Users.FindByTokenHashAsync(bobToken, Ct));
    }

    [ContractFact]
    public async Task An_unknown_token_hash_finds_nobody()
    {
        Assert.Null(await Users.FindByTokenHashAsync(ApiToken.Hash(ApiToken.New()), Ct));
    }

    [ContractFact]
    public async Task A_token_for_an_unknown_user_is_not_found_and_not_stored()
    {
        var name = Unique.Name("ghost");
        var hash = ApiToken.Hash(ApiToken.New());

        var error = await Assert.ThrowsAsync<NotFoundException>(() => Store.Tokens.AddAsync(TokenStoreContract.Token(name, "laptop", TestClock.Start), hash, Ct));

        Assert.Equal(name, error.Id);
        Assert.Null(await Users.FindByTokenHashAsync(hash, Ct));
    }
}
