using Gantry.Storage.Tests.Infrastructure;

namespace Gantry.Storage.Tests.Contracts;

public abstract class KeyRingStoreContract(StoreFixture fixture) : StoreContract(fixture)
{
    [ContractFact]
    public async Task Added_elements_come_back_oldest_first_and_a_name_is_stored_once()
    {
        var before = await Store.KeyRing.ListAsync(Ct);
        var first = $"<key id=\"{Guid.NewGuid()}\">first</key>";
        var second = $"<key id=\"{Guid.NewGuid()}\">second</key>";

        await Store.KeyRing.AddAsync(Unique.Name("key"), second, TestClock.At(2), Ct);
        var name = Unique.Name("key");
        await Store.KeyRing.AddAsync(name, first, TestClock.At(1), Ct);
        await Store.KeyRing.AddAsync(name, "<key>replaced</key>", TestClock.At(3), Ct);

        var added = (await Store.KeyRing.ListAsync(Ct)).Except(before).ToList();
        Assert.Equal([first, second], added);
    }

    [ContractFact]
    public async Task A_second_store_on_the_same_database_sees_the_key_ring()
    {
        var xml = $"<key id=\"{Guid.NewGuid()}\"/>";
        await Store.KeyRing.AddAsync(Unique.Name("key"), xml, TestClock.Start, Ct);

        await using var replica = await Fixture.OpenAsync(Fixture.Location, Ct);

        Assert.Contains(xml, await replica.KeyRing.ListAsync(Ct));
    }
}
