using Gantry.Storage.Tests.Infrastructure;

namespace Gantry.Storage.Tests.Contracts;

public abstract class ReplicaStoreContract(StoreFixture fixture) : StoreContract(fixture)
{
    private IReplicaStore Replicas => Store.Replicas;

    [ContractFact]
    public async Task Heartbeats_record_and_refresh_a_replica_and_prune_forgets_the_silent()
    {
        var live = new ReplicaRecord(Unique.Name("live"), "host-a", "1.2.3", TestClock.At(0), TestClock.At(1));
        var silent = new ReplicaRecord(Unique.Name("silent"), "host-b", "1.2.3", TestClock.At(0), TestClock.At(1));
        await Replicas.HeartbeatAsync(live, Ct);
        await Replicas.HeartbeatAsync(silent, Ct);

        await Replicas.HeartbeatAsync(live with { HeartbeatAt = TestClock.At(100) }, Ct);
        Assert.Contains(live with { HeartbeatAt = TestClock.At(100) }, await Replicas.ListAsync(Ct));

        Assert.True(await Replicas.PruneAsync(TestClock.At(50), Ct) >= 1);
        var left = await Replicas.ListAsync(Ct);
        Assert.DoesNotContain(left, r => r.Id == silent.Id);
        Assert.Contains(left, r => r.Id == live.Id);

        await Replicas.RemoveAsync(live.Id, Ct);
        Assert.DoesNotContain(await Replicas.ListAsync(Ct), r => r.Id == live.Id);
    }
}
