using Gantry.Core.Jobs;
using Gantry.Storage.Tests.Infrastructure;

namespace Gantry.Storage.Tests.Contracts;

/// <summary>The lease row and its epoch: who may lead, and which writes a deposed leader can still make (none).</summary>
public abstract class LeaseStoreContract(StoreFixture fixture) : StoreContract(fixture)
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(15);

    private ILeaseStore Leases => Store.Leases;

    private Task<long?> TryAsync(string lease, string holder, double atSeconds, bool continuing = false) =>
        Leases.TryAcquireAsync(new LeaseRequest(lease, holder, Ttl, continuing, TestClock.At(atSeconds)), Ct);

    [ContractFact]
    public async Task The_first_taker_leads_in_epoch_1_and_others_wait_until_it_expires()
    {
        var lease = Unique.Name("lease");

        Assert.Equal(1, await TryAsync(lease, "a", 0));
        Assert.Null(await TryAsync(lease, "b", 1));
        Assert.Null(await TryAsync(lease, "b", 14.999));
        Assert.Equal(2, await TryAsync(lease, "b", 15));

        var stored = await Leases.GetAsync(lease, Ct);
        Assert.Equal(new LeaseRecord(lease, "b", 2, TestClock.At(15), TestClock.At(15), TestClock.At(30)), stored);
    }

    [ContractFact]
    public async Task A_continuing_renewal_keeps_the_term_and_any_gap_starts_a_new_one()
    {
        var lease = Unique.Name("lease");
        Assert.Equal(1, await TryAsync(lease, "a", 0));

        Assert.Equal(1, await TryAsync(lease, "a", 2, continuing: true));
        Assert.Equal(TestClock.At(17), (await Leases.GetAsync(lease, Ct))!.ExpiresAt);
        Assert.Equal(TestClock.At(0), (await Leases.GetAsync(lease, Ct))!.AcquiredAt);
        // The holder stopped acting (it could not renew in time) and wins again: a new term.
        Assert.Equal(2, await TryAsync(lease, "a", 4, continuing: false));
        // Expired before the renewal arrived: a new term even for the same holder.
        Assert.Equal(3, await TryAsync(lease, "a", 40, continuing: true));
    }

    [ContractFact]
    public async Task A_released_lease_is_taken_at_once_in_a_new_term()
    {
        var lease = Unique.Name("lease");
        Assert.Equal(1, await Leases.TryAcquireAsync(new LeaseRequest(lease, "a", Ttl, false), Ct));

        await Leases.ReleaseAsync(lease, "b", Ct);
        Assert.Null(await Leases.TryAcquireAsync(new LeaseRequest(lease, "b", Ttl, false), Ct));
        await Leases.ReleaseAsync(lease, "a", Ct);

        Assert.Equal(2, await Leases.TryAcquireAsync(new LeaseRequest(lease, "b", Ttl, false), Ct));
    }

    [ContractFact]
    public async Task The_database_clock_judges_expiry_when_no_time_is_given()
    {
        var lease = Unique.Name("lease");
        var before = await Leases.NowAsync(Ct);
        Assert.Equal(1, await Leases.TryAcquireAsync(new LeaseRequest(lease, "a", Ttl, false), Ct));
        var stored = (await Leases.GetAsync(lease, Ct))!;

        Assert.InRange(stored.AcquiredAt, before, before.AddSeconds(5));
        Assert.Equal(stored.AcquiredAt + Ttl, stored.ExpiresAt);
        Assert.Null(await Leases.TryAcquireAsync(new LeaseRequest(lease, "b", Ttl, false), Ct));
    }

    [ContractFact]
    public async Task A_write_fenced_by_the_current_term_lands_and_a_deposed_leaders_write_changes_nothing()
    {
        var lease = Unique.Name("lease");
        Assert.Equal(1, await TryAsync(lease, "a", 0));
        var job = await InsertAsync(new JobBuilder());
        var (dispatching, toDispatching) = (job with { Cluster = "east" }).TransitionTo(JobState.Dispatching, "placed", TestClock.At(1));

        var saved = await Jobs.UpdateAsync(dispatching, toDispatching, new LeaseFence(lease, "a", 1), Ct);
        Assert.Equal(JobState.Dispatching, saved.State);

        // b takes over after a's lease expired; a still believes it leads.
        Assert.Equal(2, await TryAsync(lease, "b", 20));
        var (submitted, toSubmitted) = saved.TransitionTo(JobState.Submitted, "created", TestClock.At(21));
        var refused = await Assert.ThrowsAsync<FencedOutException>(() =>
            Jobs.UpdateAsync(submitted, toSubmitted, new LeaseFence(lease, "a", 1), Ct));
        Assert.Equal(1, refused.Fence.Epoch);
        var after = (await Jobs.GetAsync(job.Id, Ct))!;
        Assert.Equal((JobState.Dispatching, saved.Version, saved.Message), (after.State, after.Version, after.Message));
        Assert.DoesNotContain(await Jobs.EventsAsync(job.Id, 0, Ct), e => e.To == JobState.Submitted);

        // The same holder's old term is fenced out too once it won a new one.
        Assert.Equal(3, await TryAsync(lease, "a", 40));
        await Assert.ThrowsAsync<FencedOutException>(() => Jobs.UpdateAsync(submitted, toSubmitted, new LeaseFence(lease, "a", 1), Ct));
        Assert.Equal(JobState.Submitted, (await Jobs.UpdateAsync(submitted, toSubmitted, new LeaseFence(lease, "a", 3), Ct)).State);
    }

    [ContractFact]
    public async Task Of_many_replicas_racing_for_a_free_lease_exactly_one_wins()
    {
        var lease = Unique.Name("lease");
        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            Leases.TryAcquireAsync(new LeaseRequest(lease, $"r{i}", Ttl, false), Ct)));

        Assert.Single(results, r => r is not null);
        Assert.Equal(1, results.Single(r => r is not null));
    }
}
